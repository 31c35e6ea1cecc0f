package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
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
 * stay); {@link #waitClosed()} then waits until every connection is gone (asyncio 3.12+).
 * {@link #closeClients()} and {@link #abortClients()} end them. Loop-confined.
 */
public final class Server implements AutoCloseable {
    private static final int ACCEPTS_PER_EVENT = 100;

    private final EventLoop loop;
    private final List<ServerSocketChannel> channels;
    private final Supplier<? extends Protocol> factory;
    private final Set<SocketTransport> clients = new LinkedHashSet<>();
    private final List<Future<Void>> closeWaiters = new ArrayList<>();
    private boolean serving = true;
    private java.nio.file.Path socketFile;

    Server(EventLoop loop, List<ServerSocketChannel> channels, Supplier<? extends Protocol> factory) {
        this.loop = loop;
        this.channels = channels;
        this.factory = factory;
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
                // EMFILE and friends: report, keep serving (asyncio logs and backs off).
                loop.callExceptionHandler(io.jasyncio.ExceptionContext.of("accept() failed on " + ch, e));
                return;
            }
            if (client == null) {
                return;
            }
            try {
                client.configureBlocking(false);
            } catch (IOException e) {
                closeQuietly(client);
                continue;
            }
            Protocol protocol = factory.get();
            SocketTransport t = new SocketTransport(loop, client, protocol);
            clients.add(t);
            t.onClosed(() -> {
                clients.remove(t);
                wakeCloseWaiters();
            });
            t.start();
        }
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
        for (ServerSocketChannel ch : channels) {
            loop.removeReader(ch);
            closeQuietly(ch);
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

    /** Suspends until the server is closed and every connection is gone. */
    public void waitClosed() {
        while (serving || !clients.isEmpty()) {
            Future<Void> f = loop.createFuture();
            closeWaiters.add(f);
            try {
                f.await();
            } finally {
                closeWaiters.remove(f);
            }
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
        if (!serving && clients.isEmpty()) {
            for (Future<Void> f : new ArrayList<>(closeWaiters)) {
                if (!f.done()) {
                    f.setResult(null);
                }
            }
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
