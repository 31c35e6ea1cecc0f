package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopGroup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * One TCP port served by every loop of a {@link LoopGroup}: each loop listens on the same address
 * with {@code SO_REUSEPORT}, and the kernel spreads incoming connections over the listening sockets
 * (Linux hashes each connection to one of them), so each connection lives on one loop and the
 * loops run in parallel, one per core. The Netty and nginx layout; asyncio has none (one loop per
 * process), its users run one process per core instead.
 *
 * <pre>{@code
 * try (LoopGroup group = new LoopGroup(Runtime.getRuntime().availableProcessors());
 *      GroupServer server = GroupServer.create(group, EchoProtocol::new, "127.0.0.1", 8080)) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: {@code create} and {@link #close()} may be called from any thread except a
 * thread of the group's loops (they wait for each loop). The factory is called on the loop that
 * accepted the connection, so by several threads at once: it must be thread-safe (a constructor
 * reference is). Where {@code SO_REUSEPORT} is missing (not Linux/BSD/macOS), {@code create} fails
 * with the JDK's {@link UnsupportedOperationException}.
 *
 * <p>States: OPEN after {@code create} (every loop listening), CLOSED after {@link #close()}
 * (every loop stopped listening; connections already made stay with their loops, as with
 * {@link Server#close()}).
 */
public final class GroupServer implements AutoCloseable {
    private final List<EventLoop> loops;
    private final List<Server> servers;
    private final int port;
    private volatile boolean closed;

    private GroupServer(List<EventLoop> loops, List<Server> servers, int port) {
        this.loops = loops;
        this.servers = servers;
        this.port = port;
    }

    /**
     * Listens on {@code host:port} on every loop of {@code group} ({@code port} 0: a free port,
     * chosen by the first loop and then shared by the others).
     *
     * @throws IOException if a loop cannot listen (the loops that did are closed again)
     */
    public static GroupServer create(LoopGroup group, Supplier<? extends Protocol> factory, String host, int port)
            throws IOException {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(factory, "factory");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
        List<EventLoop> loops = group.loops();
        List<Server> servers = new ArrayList<>();
        int chosen = port;
        try {
            for (EventLoop loop : loops) {
                int p = chosen;
                Server s = onLoop(loop, () -> Net.createServer(factory, host, p, 100, true));
                servers.add(s);
                chosen = s.port();
            }
        } catch (IOException | RuntimeException e) {
            for (int i = 0; i < servers.size(); i++) {
                closeOn(loops.get(i), servers.get(i));
            }
            throw e;
        }
        return new GroupServer(loops, List.copyOf(servers), chosen);
    }

    /** The port every loop listens on. */
    public int port() {
        return port;
    }

    /** How many loops listen (the group's size). */
    public int loopCount() {
        return servers.size();
    }

    /** Stops every loop listening and waits until each has (asyncio's {@code close} + {@code wait_closed}). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < servers.size(); i++) {
            closeOn(loops.get(i), servers.get(i));
        }
    }

    private static void closeOn(EventLoop loop, Server s) {
        try {
            onLoop(loop, () -> {
                s.close();
                s.waitClosed();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            System.getLogger("io.jasyncio").log(System.Logger.Level.WARNING, "closing " + s + " failed", e);
        }
    }

    private interface LoopCall<T> {
        T call() throws IOException;
    }

    /** Runs {@code call} as a task on {@code loop} and waits for it from this (foreign) thread. */
    private static <T> T onLoop(EventLoop loop, LoopCall<T> call) throws IOException {
        try {
            return Asyncio.runCoroutineThreadsafe(call::call, loop).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + loop, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public String toString() {
        return "GroupServer[port=" + port + ", loops=" + servers.size() + (closed ? ", closed" : "") + "]";
    }
}
