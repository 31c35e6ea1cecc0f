package io.jasyncio.http;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Semaphore;
import io.jasyncio.TimerHandle;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The client's keep-alive connections, per origin, within limits: at most {@code maxConnections} sockets
 * open in all (in use or idle) and {@code maxConnectionsPerHost} per origin; a request that finds the
 * limits reached waits on the loop, first come first served ({@link Semaphore}), never on a thread.
 *
 * <h2>Invariants</h2>
 * <ul>
 * <li>A connection is either lent (to exactly one request) or idle in its origin's deque, never both.</li>
 * <li>Only a connection whose response was read to its end, with keep-alive, comes back idle
 *     ({@link #release} with {@code reusable}); anything else is aborted. So no request ever reads the
 *     leftovers of another.</li>
 * <li>{@code open} counts sockets lent, idle and being connected; it never exceeds {@code maxConnections}:
 *     a lease holds a permit of {@code total}, and opening a socket when idle ones fill the budget closes the
 *     least recently used idle one first.</li>
 * <li>An idle connection older than {@code idleTimeout}, or closed by the server, is never lent: the sweep
 *     timer closes it, and acquire skips it.</li>
 * </ul>
 *
 * <p>Loop-confined: the client and its pool belong to the loop that created them.
 */
final class ConnectionPool implements AutoCloseable {
    /** Opens a new connection to an origin (DNS, TCP, TLS, proxy tunnel). */
    interface Connector {
        PooledConnection connect(Origin origin) throws IOException;
    }

    private final class HostEntry {
        final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        final Semaphore limit = maxPerHost > 0 ? new Semaphore(maxPerHost) : null;
        int users; // requests waiting for or holding a connection of this origin
    }

    private final int maxConnections;
    private final int maxPerHost;
    private final double idleTimeout;
    private final Connector connector;
    private final EventLoop loop;
    private final Semaphore total;
    private final Map<Origin, HostEntry> hosts = new HashMap<>();
    private int open;
    private int idleCount;
    private TimerHandle sweep;
    private boolean closed;

    ConnectionPool(int maxConnections, int maxPerHost, double idleTimeoutSeconds, Connector connector) {
        this.maxConnections = maxConnections;
        this.maxPerHost = maxPerHost;
        this.idleTimeout = idleTimeoutSeconds;
        this.connector = connector;
        this.loop = Asyncio.getRunningLoop();
        this.total = new Semaphore(maxConnections);
    }

    /**
     * A connection to {@code origin}: an idle one if there is one, else a new one. Suspends while the
     * limits are reached and while connecting. The caller must {@link #release} it exactly once.
     */
    PooledConnection acquire(Origin origin) throws IOException {
        checkOpen();
        HostEntry host = hosts.computeIfAbsent(origin, o -> new HostEntry());
        host.users++;
        // Host first, then the total: a request waiting for a busy host holds no permit other hosts could use.
        if (host.limit != null) {
            host.limit.acquire();
        }
        boolean totalHeld = false;
        try {
            total.acquire();
            totalHeld = true;
            checkOpen();
            PooledConnection idle = takeIdle(host);
            if (idle != null) {
                return idle;
            }
            while (open >= maxConnections && evictOldestIdle()) {
                // make room for the new socket
            }
            open++;
            try {
                return connector.connect(origin);
            } catch (Throwable t) {
                open--;
                throw t;
            }
        } catch (Throwable t) {
            if (totalHeld) {
                total.release();
            }
            if (host.limit != null) {
                host.limit.release();
            }
            host.users--;
            throw t;
        }
    }

    /** Gives a lent connection back: idle if {@code reusable} and still open, else aborted. */
    void release(PooledConnection c, boolean reusable) {
        HostEntry host = hosts.get(c.origin);
        total.release();
        if (host.limit != null) {
            host.limit.release();
        }
        host.users--;
        if (reusable && !closed && c.isOpen()) {
            c.idleSince = loop.time();
            host.idle.addLast(c);
            idleCount++;
            scheduleSweep();
        } else {
            c.abort();
            open--;
            if (host.idle.isEmpty() && host.users == 0) {
                hosts.remove(c.origin);
            }
        }
    }

    private PooledConnection takeIdle(HostEntry host) {
        double now = loop.time();
        while (!host.idle.isEmpty()) {
            PooledConnection c = host.idle.pollLast(); // the most recently used: the least likely to be stale
            idleCount--;
            if (c.isOpen() && now - c.idleSince < idleTimeout) {
                return c;
            }
            c.abort();
            open--;
        }
        return null;
    }

    private boolean evictOldestIdle() {
        PooledConnection oldest = null;
        HostEntry oldestHost = null;
        for (HostEntry h : hosts.values()) {
            PooledConnection c = h.idle.peekFirst();
            if (c != null && (oldest == null || c.idleSince < oldest.idleSince)) {
                oldest = c;
                oldestHost = h;
            }
        }
        if (oldest == null) {
            return false;
        }
        oldestHost.idle.pollFirst();
        idleCount--;
        oldest.abort();
        open--;
        return true;
    }

    private void scheduleSweep() {
        if (sweep == null && idleCount > 0) {
            sweep = loop.callLater(idleTimeout, this::sweepExpired);
        }
    }

    private void sweepExpired() {
        sweep = null;
        double now = loop.time();
        for (HostEntry h : hosts.values()) {
            while (!h.idle.isEmpty() && (now - h.idle.peekFirst().idleSince >= idleTimeout || !h.idle.peekFirst().isOpen())) {
                h.idle.pollFirst().abort();
                idleCount--;
                open--;
            }
        }
        hosts.values().removeIf(h -> h.idle.isEmpty() && h.users == 0); // a crawler meets many hosts once
        scheduleSweep();
    }

    /** Sockets open now: lent, idle, or connecting (what a leak test counts). */
    int openConnections() {
        return open;
    }

    int idleConnections() {
        return idleCount;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the HttpClient is closed");
        }
    }

    /** Closes every idle connection now; lent ones are aborted when they come back. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        for (HostEntry h : hosts.values()) {
            for (PooledConnection c; (c = h.idle.pollFirst()) != null; ) {
                c.abort();
                idleCount--;
                open--;
            }
        }
    }

    @Override
    public String toString() {
        return "ConnectionPool[open=" + open + ", idle=" + idleCount + ", hosts=" + hosts.size() + (closed ? ", closed" : "") + "]";
    }
}
