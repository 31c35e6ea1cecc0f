package io.jasyncio.sql;

import io.jasyncio.Asyncio;
import java.lang.System.Logger.Level;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One JDBC connection confined to its own worker thread (the aiosqlite model): every JDBC call on
 * it runs on that thread, one at a time, so the loop never blocks and the driver never sees two
 * threads. The loop hands work over with {@link #call} and suspends the task until the thread is
 * done.
 *
 * <p>Threading: {@link #call}, {@link #closeAsync} and the fields marked "loop" belong to the
 * loop thread of the owning {@link Database}; the JDBC connection and the statement cache belong
 * to the worker thread; {@code running} and {@code cancelRequested} are the only fields both
 * touch (volatile).
 *
 * <p>States (loop side):
 * <pre>
 *  state    | meaning                                   | next
 *  ---------+-------------------------------------------+------------------------------------------
 *  IDLE     | no work submitted                         | BUSY (call)
 *  BUSY     | one Work runs on the worker thread        | IDLE (it ended), CANCELLING (task cancelled)
 *  CANCELLING | Statement.cancel sent, waiting for the  | IDLE (the work ended, dirty), broken (grace over)
 *           | work to end (at most cancelGrace)         |
 *  closed   | closeAsync: the thread closes the JDBC    | -
 *           | connection and ends                       |
 * </pre>
 * Invariants: (1) at most one Work is submitted at a time (the pool lends a worker to one
 * {@link Connection}, which runs one operation at a time); (2) {@link #call} returns or throws only
 * after the work ended on the worker thread, also when the task was cancelled (a cancelled task
 * waits for the database to stop the statement, so a connection back in the pool is never busy);
 * (3) {@code broken} once set stays set and the pool discards the worker.
 *
 * <p>Implementation notes. Cancelling is a Dekker handshake: the worker publishes the statement
 * it is about to run in {@code running} and then reads {@code cancelRequested}; the loop sets
 * {@code cancelRequested} and then reads {@code running}. Both are volatile, so either the worker
 * sees the request and does not start, or the loop sees the statement and cancels it
 * (PostgreSQL: the connection's cancel request on a separate socket, which also reaches a cursor
 * being fetched; others: {@link Statement#cancel}, for SQLite sqlite3_interrupt). A cancel may block on the network, so it runs on a virtual thread,
 * never on the loop.
 */
final class ConnectionWorker {
    private static final System.Logger LOG = System.getLogger("io.jasyncio.sql");
    private static final AtomicInteger IDS = new AtomicInteger();
    /** SQLSTATE 57014: query_canceled (PostgreSQL's code; used for a cancel that arrived before the statement started). */
    static final String QUERY_CANCELED = "57014";

    /** Work run on the worker thread with its JDBC connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(ConnectionWorker worker) throws SQLException;
    }

    final int id = IDS.incrementAndGet();
    private final ExecutorService thread;
    private final DatabaseOptions options;

    // worker thread only
    private java.sql.Connection jdbc;
    private int defaultIsolation;
    /** PostgreSQL: cancel through the connection's cancel request (see {@link PostgresDriver#cancelQuery}). */
    private volatile boolean postgres;
    private final Map<String, PreparedStatement> statements;

    // both threads
    private volatile Statement running;
    private volatile boolean cancelRequested;
    private volatile boolean broken;

    // loop only
    final double createdAt;
    double idleSince;
    /** Work ended while a transaction, a stream or a cancel may have left state behind: reset before reuse. */
    boolean dirty;

    private ConnectionWorker(DatabaseOptions options, double now) {
        this.options = options;
        this.createdAt = now;
        this.idleSince = now;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jasyncio-sql-" + id);
            t.setDaemon(true);
            return t;
        });
        this.statements = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= options.statementCacheSize()) {
                    return false;
                }
                closeQuietly(eldest.getValue());
                return true;
            }
        };
    }

    /**
     * Starts a worker thread and connects on it, then runs {@code initSql} (session settings).
     * The future fails with the driver's SQLException; the thread is then stopped.
     */
    static CompletableFuture<ConnectionWorker> open(DatabaseUrl url, DatabaseOptions options, List<String> initSql, double now) {
        ConnectionWorker w = new ConnectionWorker(options, now);
        CompletableFuture<ConnectionWorker> opened = new CompletableFuture<>();
        w.thread.execute(() -> {
            try {
                var props = options.jdbcProperties();
                props.putAll(url.credentials());
                w.jdbc = DriverManager.getConnection(url.jdbcUrl(), props);
                try (Statement s = w.jdbc.createStatement()) {
                    for (String sql : initSql) {
                        s.execute(sql);
                    }
                }
                w.defaultIsolation = w.jdbc.getTransactionIsolation();
                w.postgres = "PostgreSQL".equals(w.jdbc.getMetaData().getDatabaseProductName());
                opened.complete(w);
            } catch (Throwable e) {
                if (w.jdbc != null) {
                    closeQuietly(w.jdbc);
                }
                w.thread.shutdown();
                opened.completeExceptionally(e);
            }
        });
        return opened;
    }

    // ================================================================ loop side

    /**
     * Runs {@code work} on the worker thread and suspends the task until it ends; returns its
     * value or throws its exception unchanged (an SQLException keeps its SQLSTATE).
     *
     * <p>Cancellation: a cancel (or an enclosing timeout) while the work runs cancels the running
     * statement in the database, waits until the work ended (at most {@code cancelGrace}; after that
     * the connection is aborted and marked broken), marks the worker dirty, and then lets the
     * cancellation continue. Nothing of the work's result is delivered.
     */
    <T> T call(Work<T> work) throws SQLException {
        if (thread.isShutdown()) {
            throw new java.sql.SQLNonTransientConnectionException("connection " + id
                    + " is closed: it was lost or aborted, or its database was closed", "08003");
        }
        cancelRequested = false;
        CompletableFuture<T> done = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                done.complete(work.run(this));
            } catch (Throwable e) {
                if (e instanceof SQLException s && isConnectionLost(s)) {
                    broken = true;
                }
                done.completeExceptionally(e);
            } finally {
                running = null;
            }
        });
        try {
            return Asyncio.await(done.copy());
        } catch (Throwable t) {
            if (!done.isDone()) {
                stopWork(done);
            }
            throw t;
        }
    }

    /** The task was interrupted while {@code done}'s work runs: cancel it in the database and wait for it. */
    private void stopWork(CompletableFuture<?> done) {
        dirty = true;
        cancelRequested = true;
        Statement s = running;
        CompletableFuture<Void> cancelSent = s == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(() -> {
                    try {
                        if (postgres) {
                            PostgresDriver.cancelQuery(jdbc);
                        } else {
                            s.cancel();
                        }
                    } catch (SQLException | RuntimeException e) {
                        LOG.log(Level.DEBUG, "Statement.cancel failed on connection " + id, e);
                    }
                }, Thread::startVirtualThread);
        CompletableFuture<Void> ended = CompletableFuture.allOf(done.handle((v, e) -> null), cancelSent)
                .orTimeout(options.cancelGrace().toMillis(), TimeUnit.MILLISECONDS);
        awaitUninterrupted(ended); // the task is being interrupted already: a second interruption adds nothing
        if (ended.isCompletedExceptionally()) {
            LOG.log(Level.WARNING, "connection " + id + ": the database did not stop a cancelled statement within "
                    + options.cancelGrace() + "; the connection is aborted");
            broken = true;
            abort();
        }
    }

    /**
     * Suspends until {@code cf} completes, even if the task is cancelled (or its deadline passes)
     * meanwhile: for cleanup that must finish. Returns the first interruption absorbed, or null;
     * the caller re-throws it once its cleanup is done, so no cancellation is lost.
     */
    static Throwable awaitUninterrupted(CompletableFuture<?> cf) {
        Throwable interrupted = null;
        while (true) {
            try {
                Asyncio.await(cf.copy());
                return interrupted;
            } catch (Throwable t) {
                if (cf.isDone()) {
                    return interrupted;
                }
                if (interrupted == null) {
                    interrupted = t;
                }
            }
        }
    }

    /** Throws {@code t} unchanged (an SQLException through an Iterator method, which cannot declare it). */
    @SuppressWarnings("unchecked")
    static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
        throw (E) t;
    }

    /** An interruption caught by {@link #awaitUninterrupted} (a CancelledError or a scope's exception) is always unchecked. */
    static RuntimeException unchecked(Throwable interruption) {
        if (interruption instanceof RuntimeException r) {
            throw r;
        }
        if (interruption instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected interruption", interruption);
    }

    /** True once the connection is known to be unusable (lost, terminated, aborted). */
    boolean broken() {
        return broken;
    }

    void markBroken() {
        broken = true;
    }

    /** Asks the worker to close its connection and end; does not wait. */
    CompletableFuture<Void> closeAsync() {
        CompletableFuture<Void> closed = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                for (PreparedStatement ps : statements.values()) {
                    closeQuietly(ps);
                }
                statements.clear();
                if (jdbc != null) {
                    closeQuietly(jdbc);
                }
                closed.complete(null);
            });
            thread.shutdown();
        } catch (java.util.concurrent.RejectedExecutionException already) {
            closed.complete(null);
        }
        return closed;
    }

    /** Closes the connection from outside its thread (its worker may be stuck in a call). */
    private void abort() {
        java.sql.Connection c = jdbc;
        if (c != null) {
            try {
                c.abort(Thread::startVirtualThread);
            } catch (SQLException | RuntimeException e) {
                LOG.log(Level.DEBUG, "abort failed on connection " + id, e);
            }
        }
        closeAsync();
    }

    // ================================================================ worker side (called by Work)

    java.sql.Connection jdbc() {
        return jdbc;
    }

    /** True when the loop asked to stop the current work (long-polling work checks it). */
    boolean cancelRequested() {
        return cancelRequested;
    }

    /** A prepared statement for {@code sql} (from the cache when enabled) with {@code params} bound. Give it back with {@link #release}. */
    PreparedStatement prepare(String sql, Object[] params) throws SQLException {
        PreparedStatement ps = options.statementCacheSize() > 0 ? statements.get(sql) : null;
        if (ps == null || ps.isClosed()) {
            ps = jdbc.prepareStatement(sql);
            if (options.statementCacheSize() > 0) {
                statements.put(sql, ps);
            }
        } else {
            ps.clearParameters();
        }
        bind(ps, params);
        return ps;
    }

    static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    /** Ends the use of a statement from {@link #prepare}: closes it unless it is cached. */
    void release(PreparedStatement ps) throws SQLException {
        if (options.statementCacheSize() == 0) {
            ps.close();
        }
    }

    /** Publishes the statement about to run so that a cancel can reach it; refuses if a cancel came first. */
    void starting(Statement s) throws SQLException {
        running = s;
        if (cancelRequested) {
            throw new SQLException("cancelled before the statement started", QUERY_CANCELED);
        }
    }

    /** Reads every remaining row of {@code rs}. */
    static List<Row> readAll(ResultSet rs, int limit) throws SQLException {
        Columns columns = Columns.of(rs.getMetaData());
        List<Row> rows = new ArrayList<>();
        while (rows.size() < limit && rs.next()) {
            rows.add(read(rs, columns));
        }
        return rows;
    }

    static Row read(ResultSet rs, Columns columns) throws SQLException {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = rs.getObject(i + 1);
        }
        return new Row(columns, values);
    }

    /** Worker side: commits or rolls back the open transaction, then returns the connection to auto-commit. */
    void finishTransaction(boolean commit) throws SQLException {
        try {
            if (commit) {
                jdbc.commit();
            } else {
                jdbc.rollback();
            }
        } finally {
            jdbc.setAutoCommit(true);
        }
    }

    /** Worker side of a pool reset: ends any transaction left open and restores the session defaults. */
    void resetSession() throws SQLException {
        if (!jdbc.getAutoCommit()) {
            jdbc.rollback();
            jdbc.setAutoCommit(true);
        }
        if (jdbc.getTransactionIsolation() != defaultIsolation) {
            jdbc.setTransactionIsolation(defaultIsolation);
        }
    }

    /** The driver says the connection itself is gone (SQLSTATE class 08, PostgreSQL's 57P0x shutdowns) or closed it. */
    private boolean isConnectionLost(SQLException e) {
        String state = e.getSQLState();
        if (state != null && (state.startsWith("08") || state.startsWith("57P0"))) {
            return true;
        }
        try {
            return jdbc.isClosed();
        } catch (SQLException closedCheckFailed) {
            return true;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.log(Level.DEBUG, "closing " + c + " failed", e);
        }
    }

    @Override
    public String toString() {
        return "ConnectionWorker[" + id + (broken ? ", broken" : "") + (dirty ? ", dirty" : "") + "]";
    }
}
