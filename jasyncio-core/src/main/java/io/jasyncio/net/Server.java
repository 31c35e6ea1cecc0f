package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.internal.ResourceLeak;
import io.jasyncio.internal.WaitQueue;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A listening server: asyncio's {@code Server}. Made by {@link Net#createServer} or
 * {@link Net#startServer}; each accepted connection gets a new protocol from the factory.
 *
 * <p>Life cycle: serving from creation; {@link #close()} stops listening (existing connections
 * stay); {@link #waitClosed()} then waits until every connection is gone (asyncio 3.12+) and the
 * listening sockets are really released, so the port can be bound again as soon as it returns.
 * {@link #closeClients()} and {@link #abortClients()} end them. Loop-confined.
 *
 * <h2>States of each listening socket</h2>
 * <pre>
 *  state      | in the selector | next
 *  ACCEPTING  | yes             | BACKING_OFF (accept ran out of descriptors or memory), CLOSED (close)
 *  BACKING_OFF| no              | ACCEPTING after {@link #ACCEPT_RETRY_DELAY}, CLOSED (close)
 *  CLOSED     | no              | -
 * </pre>
 * Out of descriptors ({@code EMFILE}, {@code ENFILE}) or kernel memory ({@code ENOBUFS}, {@code ENOMEM}),
 * a pending connection stays in the backlog and the socket stays readable: accepting again at once
 * would spin at full CPU. As asyncio does, the socket leaves the selector for
 * {@code ACCEPT_RETRY_DELAY} and then tries again, by itself, until descriptors free up. The loop's
 * exception handler hears of it once per burst (the first failure after a successful accept).
 *
 * <p>Implementation notes: a closed channel that is still registered with a selector keeps its file
 * descriptor (and its port) until the selector's next select deregisters it, which the loop does at
 * the start of its next turn; {@link #close()} therefore marks the sockets released from a callback of
 * that next turn, and {@link #waitClosed()} waits for it.
 */
public final class Server implements AutoCloseable {
    private static final int ACCEPTS_PER_EVENT = 100;
    /** How long a server that ran out of descriptors stops accepting: asyncio's {@code ACCEPT_RETRY_DELAY}. */
    public static final java.time.Duration ACCEPT_RETRY_DELAY = java.time.Duration.ofSeconds(1);

    private final EventLoop loop;
    private final List<ServerSocketChannel> channels;
    private final Supplier<? extends Protocol> factory;
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    private final WaitQueue closeWaiters = new WaitQueue("Server.waitClosed", this);
    private final List<io.jasyncio.TimerHandle> acceptRetries = new ArrayList<>();
    private boolean serving = true;
    /** After close: the loop has run a turn since, so the selector let go of the sockets. */
    private boolean socketsReleased;
    /** Accepting failed for lack of resources and was reported; cleared by the next successful accept. */
    private boolean outOfResources;
    /** Accepts that failed for lack of resources, over the server's life. */
    private long acceptFailures;
    private java.nio.file.Path socketFile;
    /** Debug mode's "never closed" report (asyncio's ResourceWarning). */
    private final ResourceLeak leak;

    Server(EventLoop loop, List<ServerSocketChannel> channels, Supplier<? extends Protocol> factory) {
        this.loop = loop;
        this.channels = channels;
        this.factory = factory;
        this.leak = ResourceLeak.track(loop, this, "Server");
        for (ServerSocketChannel ch : channels) {
            loop.addReader(ch, () -> accept(ch));
        }
    }

    private void accept(ServerSocketChannel ch) {
        for (int i = 0; i < ACCEPTS_PER_EVENT && serving; i++) {
            SocketChannel client;
            try {
                client = ch.accept();
            } catch (IOException e) {
                if (isOutOfResources(e)) {
                    backOff(ch, e);
                } else {
                    loop.callExceptionHandler(io.jasyncio.ExceptionContext.of("accept() failed on " + ch, e));
                }
                return;
            }
            if (client == null) {
                return;
            }
            outOfResources = false;
            try {
                client.configureBlocking(false);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            Protocol protocol = factory.get();
            SocketTransport t = new SocketTransport(loop, client, protocol);
            clients.add(t);
            t.acceptedBy(this);
            t.start();
        }
    }

    /** EMFILE, ENFILE, ENOBUFS, ENOMEM: what asyncio backs off from. The JDK says which only in the message. */
    private static boolean isOutOfResources(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("Too many open files") || m.contains("No buffer space available")
                || m.contains("Cannot allocate memory"));
    }

    /** Takes {@code ch} out of the selector for {@link #ACCEPT_RETRY_DELAY}; reports once per burst. */
    private void backOff(ServerSocketChannel ch, IOException e) {
        acceptFailures++;
        loop.removeReader(ch);
        if (!outOfResources) {
            outOfResources = true;
            loop.callExceptionHandler(io.jasyncio.ExceptionContext.of("accept() out of system resources on " + ch
                    + ": not accepting for " + ACCEPT_RETRY_DELAY.toMillis() + " ms, then retrying until it succeeds"
                    + " (reported once per burst)", e));
        }
        io.jasyncio.TimerHandle[] self = new io.jasyncio.TimerHandle[1];
        self[0] = loop.callLater(ACCEPT_RETRY_DELAY, () -> {
            acceptRetries.remove(self[0]);
            if (serving) {
                loop.addReader(ch, () -> accept(ch));
            }
        });
        acceptRetries.add(self[0]);
    }

    /** How many accepts failed for lack of descriptors or memory (each one is followed by a back-off). */
    long acceptFailures() {
        return acceptFailures;
    }

    /** A connection this server accepted is gone. */
    void connectionClosed(SocketTransport t) {
        clients.remove(t);
        wakeCloseWaiters();
    }

    /** The listening addresses. */
    public List<SocketAddress> sockets() {
        List<SocketAddress> out = new ArrayList<>();
        for (ServerSocketChannel ch : channels) {
            try {
                out.add(ch.getLocalAddress());
            } catch (IOException closed) {
                // closed: not listening any more
            }
        }
        return out;
    }

    /** The port of the first listening address (handy with port 0); TCP servers only. */
    public int port() {
        return ((java.net.InetSocketAddress) sockets().get(0)).getPort();
    }

    public boolean isServing() {
        return serving;
    }

    /** Stops listening; existing connections go on. Idempotent. */
    @Override
    public void close() {
        if (!serving) {
            return;
        }
        serving = false;
        leak.released();
        for (io.jasyncio.TimerHandle retry : acceptRetries) {
            retry.cancel();
        }
        acceptRetries.clear();
        for (ServerSocketChannel ch : channels) {
            loop.removeReader(ch);
            closeQuietly(ch);
        }
        if (loop.isClosed()) {
            socketsReleased = true; // closing the selector released them
        } else {
            loop.callSoon(() -> { // the selector deregistered the sockets at the start of this turn
                socketsReleased = true;
                wakeCloseWaiters();
            });
        }
        if (socketFile != null) {
            try {
                java.nio.file.Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                loop.callExceptionHandler(io.jasyncio.ExceptionContext.of("cannot remove the Unix socket file " + socketFile, e));
            }
        }
        wakeCloseWaiters();
    }

    void removeOnClose(java.nio.file.Path path) {
        this.socketFile = path;
    }

    /** Closes every client connection (after flushing). */
    public void closeClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    /** Aborts every client connection at once. */
    public void abortClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    /**
     * Suspends until the server is closed, its listening sockets are released (the port can be bound
     * again) and every connection is gone.
     * Cancellation: nothing is lost; the server goes on closing.
     */
    public void waitClosed() {
        while (serving || !socketsReleased || !clients.isEmpty()) {
            closeWaiters.park(loop);
        }
    }

    /** Serves until cancelled; then closes the server (asyncio's {@code serve_forever}). */
    public void serveForever() {
        try {
            Asyncio.sleep(java.time.Duration.ofDays(365 * 1000L));
        } finally {
            close();
        }
    }

    private void wakeCloseWaiters() {
        if (!serving && socketsReleased && clients.isEmpty()) {
            closeWaiters.wakeAll();
        }
    }

    static void closeQuietly(java.nio.channels.Channel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a channel we are abandoning anyway
        }
    }

    @Override
    public String toString() {
        return "Server[" + sockets() + (serving ? ", serving" : ", closed") + ", clients=" + clients.size() + "]";
    }
}
