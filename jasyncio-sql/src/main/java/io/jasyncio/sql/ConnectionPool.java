package io.jasyncio.sql;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.TimerHandle;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A pool of {@link ConnectionWorker}s on one event loop. Tasks that want a connection wait ON THE
 * LOOP, in FIFO order, for at most the acquire timeout; no thread ever blocks for a connection.
 *
 * <p>Threading: loop-confined (every method runs on the loop thread of the owning Database).
 *
 * <p>Invariants: (1) {@code open} = idle workers + lent workers + connections being opened, and
 * never exceeds {@code maxSize}; (2) a worker is idle only while no task waits (a released worker
 * goes to the oldest live waiter first); (3) a waiter that is cancelled or times out leaves the
 * queue and never receives a worker; one handed over just before its cancel is passed on to the
 * next waiter, so no worker is lost; (4) after {@link #close} nothing is lent: waiters fail with
 * {@link DatabaseClosedException}, idle workers close, lent ones close when they come back.
 *
 * <p>Implementation notes. Idle workers are kept last-in first-out, so the warmest connection is
 * reused and the coldest ones age out through the idle timeout. Expiry (idle timeout, max
 * lifetime) is checked when a worker is taken or given back, and by a reaper timer that runs
 * while idle workers exist. Times are the loop's clock ({@link EventLoop#time()}).
 */
final class ConnectionPool {
    private final EventLoop loop;
    private final String name;
    private final int maxSize;
    private final DatabaseOptions options;
    private final Supplier<CompletableFuture<ConnectionWorker>> connector;
    private final ArrayDeque<ConnectionWorker> idle = new ArrayDeque<>();
    private final ArrayDeque<Future<ConnectionWorker>> waiters = new ArrayDeque<>();
    private int open;
    private int lent;
    private boolean closed;
    private TimerHandle reaper;

    ConnectionPool(EventLoop loop, String name, int maxSize, DatabaseOptions options, Supplier<CompletableFuture<ConnectionWorker>> connector) {
        this.loop = loop;
        this.name = name;
        this.maxSize = maxSize;
        this.options = options;
        this.connector = connector;
    }

    /**
     * Lends a worker: an idle one (validated if it was idle longer than healthCheckAfter), a new
     * connection while the pool is below its size, or else the one given back next, waiting FIFO.
     *
     * <p>Cancellation: a cancel while waiting leaves the queue (the place is lost, nothing else);
     * a cancel while a new connection opens lets it finish and keeps it in the pool.
     *
     * @throws PoolTimeoutException when no worker came within the acquire timeout
     * @throws DatabaseClosedException when the pool is or becomes closed
     * @throws SQLException when a new connection cannot be opened
     */
    ConnectionWorker acquire() throws SQLException {
        checkOpen();
        ConnectionWorker w;
        while ((w = idle.pollFirst()) != null) {
            lent++;
            if (expired(w)) {
                discardLent(w);
                continue;
            }
            if (loop.time() - w.idleSince >= seconds(options.healthCheckAfter()) && !healthy(w)) {
                discardLent(w);
                continue;
            }
            return w;
        }
        if (open < maxSize) {
            return connectNew();
        }
        return waitForRelease();
    }

    private ConnectionWorker connectNew() throws SQLException {
        open++;
        lent++;
        CompletableFuture<ConnectionWorker> opening = connector.get();
        try {
            return Asyncio.await(opening.copy());
        } catch (Throwable t) {
            // Failed, or cancelled while connecting (the connection may even have opened an instant
            // ago, on its thread): the accounting follows the outcome, and an opened connection
            // stays in the pool for others.
            opening.whenComplete((worker, error) -> loop.callSoonThreadsafe(() -> {
                if (worker != null) {
                    release(worker);
                } else {
                    lent--;
                    open--;
                    refill();
                }
            }));
            throw t;
        }
    }

    private ConnectionWorker waitForRelease() {
        Future<ConnectionWorker> waiter = loop.createFuture();
        waiters.addLast(waiter);
        TimerHandle timer = loop.callLater(options.acquireTimeout(), () -> {
            if (!waiter.done()) {
                waiters.remove(waiter);
                waiter.setException(new PoolTimeoutException("no connection of " + name + " became free within "
                        + options.acquireTimeout() + ": all " + maxSize + " are in use and " + waiters.size()
                        + " more tasks wait (raise poolSize or acquireTimeout, or hold connections shorter)"));
            }
        });
        try {
            return waiter.await();
        } catch (Throwable t) {
            waiters.remove(waiter);
            if (waiter.done() && !waiter.cancelled() && waiter.exception() == null) {
                release(waiter.result()); // handed over just as we were cancelled: pass it on
            }
            throw t;
        } finally {
            timer.cancel();
        }
    }

    /**
     * Takes a worker back: resets it first if it is dirty (a transaction, stream or cancel may have
     * left state behind), then as {@link #release}. Suspends only for a reset.
     *
     * <p>Cancellation: a cancel during the reset lets the reset finish, the worker (still dirty) is
     * discarded, and the cancellation is thrown after the worker is back.
     */
    void releaseAfterReset(ConnectionWorker w) {
        Throwable interrupted = null;
        if (w.dirty && !w.broken() && !closed) {
            try {
                w.call(worker -> {
                    worker.resetSession();
                    return null;
                });
                w.dirty = false;
            } catch (SQLException e) {
                w.markBroken();
            } catch (Throwable t) {
                interrupted = t;
            }
        }
        release(w);
        if (interrupted != null) {
            throw ConnectionWorker.unchecked(interrupted);
        }
    }

    /** Takes a lent worker back without suspending (a dirty one is discarded rather than reset). */
    void release(ConnectionWorker w) {
        if (closed || w.broken() || w.dirty || expired(w)) {
            discardLent(w);
            return;
        }
        lent--;
        w.idleSince = loop.time();
        Future<ConnectionWorker> next;
        while ((next = waiters.pollFirst()) != null) {
            if (!next.done()) {
                lent++;
                next.setResult(w);
                return;
            }
        }
        idle.addFirst(w);
        scheduleReaper();
    }

    /** Closes a lent worker for good, and opens a replacement if tasks wait. */
    private void discardLent(ConnectionWorker w) {
        lent--;
        open--;
        w.closeAsync();
        refill();
    }

    /** While tasks wait and the pool has room (a connection was discarded), open one for the oldest waiter. */
    private void refill() {
        if (closed || waiters.isEmpty() || open >= maxSize) {
            return;
        }
        open++;
        lent++;
        connector.get().whenComplete((worker, error) -> loop.callSoonThreadsafe(() -> {
            if (worker != null) {
                release(worker);
                return;
            }
            lent--;
            open--;
            Future<ConnectionWorker> head;
            while ((head = waiters.pollFirst()) != null) {
                if (!head.done()) {
                    head.setException(error instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : error);
                    break;
                }
            }
            refill();
        }));
    }

    private boolean healthy(ConnectionWorker w) {
        try {
            return w.call(worker -> worker.jdbc().isValid(5));
        } catch (SQLException e) {
            return false;
        } catch (Throwable t) { // cancelled during the check: the worker goes back, the cancel goes on
            release(w);
            throw t;
        }
    }

    private boolean expired(ConnectionWorker w) {
        double now = loop.time();
        return now - w.createdAt >= seconds(options.maxLifetime()) || now - w.idleSince >= seconds(options.idleTimeout());
    }

    private void scheduleReaper() {
        if (reaper != null || closed) {
            return;
        }
        double every = Math.min(seconds(options.idleTimeout()), seconds(options.maxLifetime())) / 2;
        reaper = loop.callLater(Duration.ofNanos((long) (every * 1e9)), () -> {
            reaper = null;
            List<ConnectionWorker> keep = new ArrayList<>();
            ConnectionWorker w;
            while ((w = idle.pollFirst()) != null) {
                if (expired(w)) {
                    open--;
                    w.closeAsync();
                } else {
                    keep.add(w);
                }
            }
            idle.addAll(keep);
            if (!idle.isEmpty()) {
                scheduleReaper();
            }
        });
    }

    /** Fails the waiters, closes the idle workers and waits until they are closed. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (reaper != null) {
            reaper.cancel();
            reaper = null;
        }
        Future<ConnectionWorker> w;
        while ((w = waiters.pollFirst()) != null) {
            if (!w.done()) {
                w.setException(new DatabaseClosedException(name + " was closed while this task waited for a connection"));
            }
        }
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        ConnectionWorker c;
        while ((c = idle.pollFirst()) != null) {
            open--;
            closing.add(c.closeAsync());
        }
        Throwable interrupted = ConnectionWorker.awaitUninterrupted(CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)));
        if (interrupted != null) {
            throw ConnectionWorker.unchecked(interrupted);
        }
    }

    boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new DatabaseClosedException(name + " is closed");
        }
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    @Override
    public String toString() {
        return name + "[open=" + open + "/" + maxSize + ", lent=" + lent + ", idle=" + idle.size() + ", waiting=" + waiters.size()
                + (closed ? ", closed" : "") + "]";
    }
}
