package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.Task;
import io.jasyncio.TimerHandle;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Connecting to one of several addresses: one after the other, or RFC 8305 "Happy Eyeballs"
 * (asyncio's {@code staggered_race} under {@code create_connection(happy_eyeballs_delay=...)}).
 *
 * <h2>The race</h2>
 * Attempt 1 starts at once. Attempt k+1 starts when attempt k has not connected within the delay, or
 * as soon as any running attempt fails. The first attempt to connect wins; every other one is
 * cancelled, and one that connected anyway is closed. When all attempts fail, the first failure is
 * thrown with the others added as suppressed. A cancellation of the caller cancels every attempt and
 * waits for them, so no socket is left open.
 *
 * <p>Threading: runs in the calling task; attempts are tasks of the same loop.
 */
final class HappyEyeballs {
    private HappyEyeballs() {}

    /**
     * RFC 8305 section 4: {@code firstFamilyCount} addresses of the first family in the list, then
     * alternating between families, each family keeping its own order (asyncio's
     * {@code _interleave_addrinfos}). 0 returns the list unchanged.
     */
    static List<InetSocketAddress> interleave(List<InetSocketAddress> addrs, int firstFamilyCount) {
        if (firstFamilyCount <= 0 || addrs.size() < 2) {
            return addrs;
        }
        Map<Boolean, ArrayDeque<InetSocketAddress>> byFamily = new LinkedHashMap<>();
        for (InetSocketAddress a : addrs) {
            byFamily.computeIfAbsent(a.getAddress() instanceof Inet6Address, k -> new ArrayDeque<>()).add(a);
        }
        List<ArrayDeque<InetSocketAddress>> families = new ArrayList<>(byFamily.values());
        List<InetSocketAddress> out = new ArrayList<>(addrs.size());
        ArrayDeque<InetSocketAddress> first = families.get(0);
        for (int i = 0; i < firstFamilyCount - 1 && !first.isEmpty(); i++) {
            out.add(first.pollFirst());
        }
        boolean more = true;
        while (more) {
            more = false;
            for (ArrayDeque<InetSocketAddress> f : families) {
                InetSocketAddress a = f.pollFirst();
                if (a != null) {
                    out.add(a);
                    more = true;
                }
            }
        }
        return out;
    }

    /** Connects to the first of {@code addrs} that accepts, as {@code options} say; see the class comment. */
    static SocketChannel connect(List<InetSocketAddress> addrs, ConnectOptions options, String host) throws IOException {
        List<InetSocketAddress> usable = new ArrayList<>();
        InetSocketAddress local = options.localAddress();
        for (InetSocketAddress a : addrs) {
            if (local == null || local.getAddress() == null || local.getAddress().isAnyLocalAddress()
                    || (local.getAddress() instanceof Inet6Address) == (a.getAddress() instanceof Inet6Address)) {
                usable.add(a);
            }
        }
        if (usable.isEmpty()) {
            throw new java.net.NoRouteToHostException(addrs.isEmpty() ? "no address for " + host
                    : "no address of " + host + " " + addrs + " has the family of the local address " + local);
        }
        usable = interleave(usable, options.effectiveInterleave());
        if (options.happyEyeballsDelay() == null || usable.size() == 1) {
            return oneAfterTheOther(usable, options, host);
        }
        return race(usable, options);
    }

    private static SocketChannel oneAfterTheOther(List<InetSocketAddress> addrs, ConnectOptions options, String host) throws IOException {
        IOException failure = null;
        for (InetSocketAddress a : addrs) {
            try {
                return attempt(a, options);
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        throw failure != null ? failure : new java.net.UnknownHostException(host);
    }

    private static SocketChannel race(List<InetSocketAddress> addrs, ConnectOptions options) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        double delay = options.happyEyeballsDelay().toNanos() / 1e9;
        List<Task<SocketChannel>> attempts = new ArrayList<>();
        Task<SocketChannel> winner = null;
        int failuresSeen = 0;
        double nextStartAt = 0;
        try {
            while (true) {
                int failed = 0;
                boolean running = false;
                for (Task<SocketChannel> t : attempts) {
                    if (!t.done()) {
                        running = true;
                    } else if (t.exception() == null) {
                        winner = t;
                        return t.result();
                    } else {
                        failed++;
                    }
                }
                boolean someFailedSinceLastStart = failed > failuresSeen;
                failuresSeen = failed;
                if (attempts.size() < addrs.size() && (attempts.isEmpty() || someFailedSinceLastStart || loop.time() >= nextStartAt)) {
                    InetSocketAddress a = addrs.get(attempts.size());
                    attempts.add(Asyncio.createTask("happy-eyeballs " + a, () -> attempt(a, options)));
                    nextStartAt = loop.time() + delay;
                    continue;
                }
                if (!running) {
                    throw failure(attempts);
                }
                Future<Void> progress = loop.createFuture();
                for (Task<SocketChannel> t : attempts) {
                    if (!t.done()) {
                        t.addDoneCallback(x -> progress.trySetResult(null));
                    }
                }
                TimerHandle timer = attempts.size() < addrs.size() ? loop.callAt(nextStartAt, () -> progress.trySetResult(null)) : null;
                try {
                    progress.await();
                } finally {
                    if (timer != null) {
                        timer.cancel();
                    }
                }
            }
        } finally {
            stopOthers(attempts, winner);
        }
    }

    /** Cancels every attempt but the winner and waits for them (shielded: they end at once); closes late connections. */
    private static void stopOthers(List<Task<SocketChannel>> attempts, Task<SocketChannel> winner) {
        for (Task<SocketChannel> t : attempts) {
            if (t != winner) {
                t.cancel("another address connected first");
            }
        }
        Asyncio.shielded(() -> {
            for (Task<SocketChannel> t : attempts) {
                if (t == winner) {
                    continue;
                }
                try {
                    SocketChannel late = t.await();
                    Server.closeQuietly(late); // connected before its cancellation arrived
                } catch (CancelledError | Exception lost) {
                    // cancelled or failed: its own finally closed the socket
                }
            }
            return null;
        });
    }

    private static IOException failure(List<Task<SocketChannel>> attempts) {
        IOException first = null;
        for (Task<SocketChannel> t : attempts) {
            Throwable e = t.exception();
            IOException io = e instanceof IOException x ? x : new IOException(e);
            if (first == null) {
                first = io;
            } else {
                first.addSuppressed(io);
            }
        }
        return first;
    }

    /** One attempt: a non-blocking socket with the options, bound if asked, connected to {@code a}; closed on any failure. */
    static SocketChannel attempt(InetSocketAddress a, ConnectOptions options) throws IOException {
        SocketChannel ch = SocketChannel.open(a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            applyOptions(ch, options);
            if (options.localAddress() != null) {
                ch.bind(options.localAddress());
            }
            Net.sockConnect(ch, a);
            ok = true;
            return ch;
        } finally {
            if (!ok) {
                Server.closeQuietly(ch);
            }
        }
    }

    /** Sets the options' socket options on {@code ch} (again after the transport's own defaults). */
    @SuppressWarnings("unchecked")
    static void applyOptions(SocketChannel ch, ConnectOptions options) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> e : options.socketOptions().entrySet()) {
            ch.setOption((SocketOption<Object>) e.getKey(), e.getValue());
        }
    }

    /** True if the options set TCP_NODELAY themselves (the transport must not override it). */
    static boolean setsNoDelay(ConnectOptions options) {
        return options.socketOptions().containsKey(StandardSocketOptions.TCP_NODELAY);
    }
}
