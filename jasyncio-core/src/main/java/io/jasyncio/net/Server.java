package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.TimerHandle;
import io.jasyncio.internal.ResourceLeak;
import io.jasyncio.internal.WaitQueue;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A listening server: asyncio's {@code Server}. Made by {@link Net#createServer} or
 * {@link Net#startServer}; each accepted connection gets a new protocol from the factory, and a
 * stream server ({@code startServer}) runs each connection's handler as a task that the server
 * keeps track of.
 *
 * <h2>Life cycle</h2>
 * <pre>
 *  state    | sockets bound | accepting | next
 *  CREATED  | yes           | no        | SERVING ({@link #startServing}, {@link #serveForever}, {@link #serving()}),
 *           |               |           | CLOSED ({@link #close})
 *  SERVING  | yes           | yes       | CLOSED ({@link #close})
 *  CLOSED   | no            | no        | - ({@link #startServing} throws)
 * </pre>
 * A server is SERVING from creation unless it was made with
 * {@link ServerOptions#withStartServing ServerOptions.withStartServing(false)} (asyncio's
 * {@code start_serving=False}); meanwhile its port is bound and connections wait in the backlog.
 * {@link #close()} stops listening (existing connections and handlers go on);
 * {@link #waitClosed()} then waits until every connection is gone, every handler has returned and the
 * listening sockets are really released, so the port can be bound again as soon as it returns.
 * {@link #closeClients()} and {@link #abortClients()} end the connections (asyncio 3.13).
 *
 * <h2>Server as a scope: asyncio's {@code async with server}</h2>
 * {@link #serving()} (try-with-resources) and {@link #serving(io.jasyncio.Coroutine)} (a lambda) start
 * serving, and on exit close the server and wait for its handlers. {@link #shutdown(Duration)} is the
 * graceful stop of a service: stop accepting, give the handlers a grace period to finish, then cancel
 * those still running and abort their connections.
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=serverScope}
 *
 * <h2>States of each listening socket while SERVING</h2>
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
 * <p>Threading: loop-confined.
 *
 * <p>Implementation notes: a closed channel that is still registered with a selector keeps its file
 * descriptor (and its port) until the selector's next select deregisters it, which the loop does at
 * the start of its next turn; {@link #close()} therefore marks the sockets released from a callback of
 * that next turn, and {@link #waitClosed()} waits for it. A handler is forgotten from its task's done
 * callback, so {@link #waitClosed()} returns only after every handler's {@code finally} has run.
 */
public final class Server implements AutoCloseable {
    private static final int ACCEPTS_PER_EVENT = 100;
    /** How long a server that ran out of descriptors stops accepting: asyncio's {@code ACCEPT_RETRY_DELAY}. */
    public static final Duration ACCEPT_RETRY_DELAY = Duration.ofSeconds(1);

    private enum State { CREATED, SERVING, CLOSED }

    /** What {@link #serving()} returns: closing it closes the server and waits for its handlers. */
    public interface Serving extends AutoCloseable {
        /**
         * Closes the server and suspends until its connections and handlers are gone; when the task
         * is being cancelled (or is cancelled while waiting), cancels the handlers and aborts their
         * connections first, so the scope never outlives its task.
         */
        @Override
        void close();
    }

    private final EventLoop loop;
    private final List<ServerSocketChannel> channels;
    private final Supplier<? extends Protocol> factory;
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    private final Set<Task<?>> handlers = new LinkedHashSet<>();
    private final WaitQueue closeWaiters = new WaitQueue("Server.waitClosed", this);
    private final List<TimerHandle> acceptRetries = new ArrayList<>();
    private State state = State.CREATED;
    /** A task is inside {@link #serveForever()}. */
    private boolean servingForever;
    /** After close: the loop has run a turn since, so the selector let go of the sockets. */
    private boolean socketsReleased;
    /** Accepting failed for lack of resources and was reported; cleared by the next successful accept. */
    private boolean outOfResources;
    /** Accepts that failed for lack of resources, over the server's life. */
    private long acceptFailures;
    private java.nio.file.Path socketFile;
    /** Debug mode's "never closed" report (asyncio's ResourceWarning). */
    private final ResourceLeak leak;

    Server(EventLoop loop, List<ServerSocketChannel> channels, Supplier<? extends Protocol> factory, boolean startServing) {
        this.loop = loop;
        this.channels = channels;
        this.factory = factory;
        this.leak = ResourceLeak.track(loop, this, "Server");
        if (startServing) {
            startServing();
        }
    }

    /**
     * Starts accepting connections (asyncio's {@code start_serving}); connections that waited in the
     * backlog are accepted on the next loop turn. Does nothing if already serving.
     *
     * @throws IllegalStateException if the server is closed
     */
    public void startServing() {
        if (state == State.CLOSED) {
            throw new IllegalStateException(this + " is closed: it cannot start serving again");
        }
        if (state == State.SERVING) {
            return;
        }
        state = State.SERVING;
        for (ServerSocketChannel ch : channels) {
            loop.addReader(ch, () -> accept(ch));
        }
    }

    private void accept(ServerSocketChannel ch) {
        for (int i = 0; i < ACCEPTS_PER_EVENT && state == State.SERVING; i++) {
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
            StreamReaderProtocol streams = protocol instanceof StreamReaderProtocol p ? p
                    : protocol instanceof TlsProtocol tls && tls.appProtocol() instanceof StreamReaderProtocol p ? p : null;
            if (streams != null) {
                streams.servedBy(this);
            }
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
        TimerHandle[] self = new TimerHandle[1];
        self[0] = loop.callLater(ACCEPT_RETRY_DELAY, () -> {
            acceptRetries.remove(self[0]);
            if (state == State.SERVING) {
                loop.addReader(ch, () -> accept(ch));
            }
        });
        acceptRetries.add(self[0]);
    }

    /** How many accepts failed for lack of descriptors or memory (each one is followed by a back-off). */
    long acceptFailures() {
        return acceptFailures;
    }

    /** A stream handler of one of this server's connections started. */
    void handlerStarted(Task<?> handler) {
        handlers.add(handler);
    }

    /** A stream handler has finished (its task is done). */
    void handlerDone(Task<?> handler) {
        handlers.remove(handler);
        wakeCloseWaiters();
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

    /** True while accepting connections (SERVING). */
    public boolean isServing() {
        return state == State.SERVING;
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Connections open now. */
    public int clientCount() {
        return clients.size();
    }

    /** Stream handlers running now (those of {@link Net#startServer}). */
    public int handlerCount() {
        return handlers.size();
    }

    /** Stops listening; existing connections and handlers go on. Idempotent, never suspends. */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasServing = state == State.SERVING;
        state = State.CLOSED;
        leak.released();
        for (TimerHandle retry : acceptRetries) {
            retry.cancel();
        }
        acceptRetries.clear();
        for (ServerSocketChannel ch : channels) {
            if (wasServing) {
                loop.removeReader(ch);
            }
            closeQuietly(ch);
        }
        if (loop.isClosed() || !wasServing) {
            socketsReleased = true; // never registered, or closing the selector released them
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

    /**
     * Closes every client connection after its buffered output is flushed (asyncio 3.13's
     * {@code close_clients}); their handlers see the end of their stream. The server keeps listening
     * unless it was closed: call {@link #close()} first to stop new ones.
     */
    public void closeClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.close();
        }
    }

    /**
     * Aborts every client connection at once, dropping buffered output (asyncio 3.13's
     * {@code abort_clients}); their handlers' reads and drains fail.
     */
    public void abortClients() {
        for (SocketTransport t : new ArrayList<>(clients)) {
            t.abort();
        }
    }

    /**
     * Suspends until the server is closed, its listening sockets are released (the port can be bound
     * again), every connection is gone and every handler has returned.
     * Cancellation: nothing is lost; the server goes on closing.
     */
    public void waitClosed() {
        while (!closedAndIdle()) {
            closeWaiters.park(loop);
        }
    }

    /**
     * Starts serving if needed and serves until cancelled; then closes the server (stops listening)
     * and rethrows the {@link io.jasyncio.CancelledError} (asyncio's {@code serve_forever}). Unlike
     * asyncio it does not wait for the connections on the way out, so the caller's {@code finally}
     * can tell them goodbye first; {@link #serving()} or {@link #shutdown(Duration)} then waits.
     *
     * @throws IllegalStateException if the server is closed, or another task is already in
     *         {@code serveForever}
     */
    public void serveForever() {
        if (servingForever) {
            throw new IllegalStateException("serveForever() is already running on " + this);
        }
        startServing();
        servingForever = true;
        try {
            Asyncio.sleep(Duration.ofDays(365 * 1000L));
        } finally {
            servingForever = false;
            close();
        }
    }

    /**
     * The graceful stop of a service: stops listening, lets the handlers finish for up to
     * {@code grace}, then cancels those still running, aborts their connections and waits for them to
     * end. Returns true if everything finished within the grace period.
     *
     * <p>Cancellation: a cancellation during the grace period skips the rest of it: the handlers are
     * cancelled and awaited (shielded, they end promptly) before the {@link io.jasyncio.CancelledError}
     * propagates.
     */
    public boolean shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative: " + grace);
        }
        close();
        boolean inTime = false;
        try {
            inTime = Asyncio.timeoutOrNull(grace, () -> {
                waitClosed();
                return Boolean.TRUE;
            }) != null;
        } finally {
            if (!inTime) {
                stopHandlers();
            }
        }
        return inTime;
    }

    /**
     * Starts serving (if not yet) and returns the scope of a try-with-resources block whose end
     * closes the server and waits for its connections and handlers, as {@code async with server}.
     * When the block ends because its task is cancelled, the handlers are cancelled and awaited
     * instead, so the scope never outlives its task.
     */
    public Serving serving() {
        startServing();
        return () -> {
            Task<?> task = Asyncio.currentTask();
            if (task != null && task.cancelling() > 0) {
                stopHandlers();
            } else {
                closeAndWait();
            }
        };
    }

    /**
     * The lambda form of {@link #serving()}: starts serving, runs {@code body}, then closes the
     * server and waits for its handlers; if {@code body} fails or is cancelled, the handlers are
     * cancelled and awaited before its exception propagates.
     */
    public <T> T serving(io.jasyncio.Coroutine<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        startServing();
        T result;
        try {
            result = body.call();
        } catch (Throwable failed) {
            stopHandlers();
            throw failed;
        }
        closeAndWait();
        return result;
    }

    /** Closes and waits for the connections and handlers; a cancellation meanwhile stops them hard. */
    private void closeAndWait() {
        close();
        boolean done = false;
        try {
            waitClosed();
            done = true;
        } finally {
            if (!done) {
                stopHandlers();
            }
        }
    }

    /**
     * Closes the server, cancels every handler, aborts every connection and waits, shielded, until
     * they are gone: the hard stop behind {@link #shutdown}, {@link #serving()} and cancellation.
     */
    private void stopHandlers() {
        close();
        for (Task<?> h : new ArrayList<>(handlers)) {
            h.cancel("server " + this + " is shutting down");
        }
        abortClients();
        Asyncio.shielded(() -> {
            waitClosed();
            return null;
        });
    }

    private boolean closedAndIdle() {
        return state == State.CLOSED && socketsReleased && clients.isEmpty() && handlers.isEmpty();
    }

    private void wakeCloseWaiters() {
        if (closedAndIdle()) {
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
        return "Server[" + sockets() + ", " + state.name().toLowerCase() + ", clients=" + clients.size()
                + ", handlers=" + handlers.size() + "]";
    }
}
