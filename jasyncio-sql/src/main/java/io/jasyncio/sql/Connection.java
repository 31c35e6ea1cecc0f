package io.jasyncio.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A connection lent by a {@link Database}'s pool (asyncpg's {@code Connection}); {@link #close()}
 * gives it back. Not {@link java.sql.Connection}: the JDBC connection behind it lives on its own
 * worker thread, and every method here suspends the calling task while that thread works.
 *
 * <pre>{@code
 * try (Connection c = db.acquire()) {
 *     c.execute("UPDATE page SET status = ? WHERE url = ?", 200, url);
 *     long n = c.fetchValue(Long.class, "SELECT count(*) FROM page");
 * }
 * }</pre>
 *
 * <p>Threading: confined to the event loop the Database was opened on, one operation at a time
 * (a second concurrent operation gets {@link IllegalStateException}, as asyncpg's "another
 * operation is in progress"); use the Database's own methods to run queries concurrently.
 *
 * <p>States: LENT (usable; inside a transaction while {@code transactionDepth > 0}; BUSY while one
 * operation or an open {@link RowStream} runs) and RELEASED (after close: every method throws).
 *
 * <p>Parameters are always bound ({@code ?} placeholders, {@link PreparedStatement#setObject}),
 * never spliced into the SQL. Prepared statements are cached per connection (see
 * {@link DatabaseOptions#statementCacheSize()}). Errors of the driver reach the caller unchanged
 * (the {@link SQLException} subclass with its SQLSTATE).
 *
 * <p>Cancellation, for every query method: cancelling the task (or an enclosing
 * {@code timeout(...)} expiring) cancels the running statement in the database, waits until the
 * database stopped it, and lets the cancellation continue; the connection stays usable (it is
 * reset before it is lent again) or, if the database did not answer within
 * {@link DatabaseOptions#cancelGrace()}, is discarded.
 */
public final class Connection implements AutoCloseable {
    private static final int ALL = Integer.MAX_VALUE;

    private final Database database;
    private final ConnectionPool pool;
    final ConnectionWorker worker;
    private boolean released;
    private String busyWith;
    private int transactionDepth;
    private RowStream openStream;

    Connection(Database database, ConnectionPool pool, ConnectionWorker worker) {
        this.database = database;
        this.pool = pool;
        this.worker = worker;
    }

    // ================================================================ queries

    /** Runs a statement that returns no rows (INSERT, UPDATE, DDL...) and returns the number of rows it changed (0 for DDL). */
    public long execute(String sql, Object... params) throws SQLException {
        Object[] p = checkQuery(sql, params);
        return run("execute", w -> {
            PreparedStatement ps = w.prepare(sql, p);
            try {
                w.starting(ps);
                if (ps.execute()) {
                    ps.getResultSet().close();
                    return 0L;
                }
                return (long) Math.max(0, ps.getUpdateCount());
            } finally {
                w.release(ps);
            }
        });
    }

    /**
     * Runs {@code sql} once per parameter list, as one JDBC batch, atomically: outside a
     * transaction the batch runs in one of its own (all rows or none). Returns the total number of
     * rows changed (as the driver reports it).
     */
    public long executeMany(String sql, Iterable<? extends List<?>> paramSets) throws SQLException {
        checkSql(sql);
        Objects.requireNonNull(paramSets, "paramSets");
        List<Object[]> sets = new ArrayList<>();
        for (List<?> set : paramSets) {
            if (set == null) {
                throw new IllegalArgumentException("paramSets[" + sets.size() + "] is null: give an empty list for a statement without parameters");
            }
            sets.add(set.toArray());
        }
        if (sets.isEmpty()) {
            return 0;
        }
        return run("executeMany", w -> {
            java.sql.Connection jdbc = w.jdbc();
            boolean ownTransaction = jdbc.getAutoCommit();
            if (ownTransaction) {
                jdbc.setAutoCommit(false);
            }
            PreparedStatement ps = w.prepare(sql, new Object[0]);
            try {
                for (Object[] set : sets) {
                    ConnectionWorker.bind(ps, set);
                    ps.addBatch();
                }
                w.starting(ps);
                long total = 0;
                for (int n : ps.executeBatch()) {
                    total += Math.max(0, n);
                }
                if (ownTransaction) {
                    jdbc.commit();
                }
                return total;
            } catch (SQLException | RuntimeException e) {
                if (ownTransaction) {
                    jdbc.rollback();
                }
                throw e;
            } finally {
                ps.clearBatch();
                w.release(ps);
                if (ownTransaction) {
                    jdbc.setAutoCommit(true);
                }
            }
        });
    }

    /** Runs a query and returns all its rows. */
    public List<Row> fetch(String sql, Object... params) throws SQLException {
        Object[] p = checkQuery(sql, params);
        return run("fetch", w -> query(w, sql, p, ALL));
    }

    /**
     * Runs a query and maps every row to {@code type}: a record whose components are named like
     * the columns, or any other type for a one-column result (see {@link Row#get(String, Class)}).
     */
    public <R> List<R> fetch(Class<R> type, String sql, Object... params) throws SQLException {
        Objects.requireNonNull(type, "type");
        List<Row> rows = fetch(sql, params);
        List<R> mapped = new ArrayList<>(rows.size());
        Function<Row, R> mapper = null;
        for (Row row : rows) {
            if (mapper == null) {
                mapper = RecordMapper.forColumns(type, row.columns());
            }
            mapped.add(mapper.apply(row));
        }
        return mapped;
    }

    /** Runs a query and returns its first row, or null when there is none. */
    public Row fetchRow(String sql, Object... params) throws SQLException {
        Object[] p = checkQuery(sql, params);
        List<Row> rows = run("fetchRow", w -> query(w, sql, p, 1));
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Runs a query and returns its first row mapped to {@code type}, or null when there is none. */
    public <R> R fetchRow(Class<R> type, String sql, Object... params) throws SQLException {
        Objects.requireNonNull(type, "type");
        Row row = fetchRow(sql, params);
        return row == null ? null : row.as(type);
    }

    /** Runs a query and returns the first column of its first row, or null when there is no row. */
    public Object fetchValue(String sql, Object... params) throws SQLException {
        Row row = fetchRow(sql, params);
        return row == null ? null : row.get(0);
    }

    /** {@link #fetchValue(String, Object...)} converted to {@code type}. */
    public <V> V fetchValue(Class<V> type, String sql, Object... params) throws SQLException {
        Objects.requireNonNull(type, "type");
        Row row = fetchRow(sql, params);
        if (row == null) {
            return null;
        }
        @SuppressWarnings("unchecked")
        V v = (V) Values.convert(row.get(0), type, "column '" + row.columnNames().get(0) + "'");
        return v;
    }

    /**
     * A stream of the query's rows, read {@link DatabaseOptions#fetchSize()} at a time (the next
     * batch is read only when the previous one was consumed). Close it (try-with-resources) to end
     * early; the connection is busy until then. See {@link RowStream}.
     */
    public RowStream stream(String sql, Object... params) {
        return openStream(sql, params, false);
    }

    /** A stream that holds this connection busy until it closes; {@code owns}: it gives the connection back then. */
    RowStream openStream(String sql, Object[] params, boolean owns) {
        Object[] p = checkQuery(sql, params);
        enter("stream");
        openStream = new RowStream(this, sql, p, database.options().fetchSize(), owns);
        return openStream;
    }

    private static List<Row> query(ConnectionWorker w, String sql, Object[] params, int limit) throws SQLException {
        PreparedStatement ps = w.prepare(sql, params);
        try {
            w.starting(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return ConnectionWorker.readAll(rs, limit);
            }
        } finally {
            w.release(ps);
        }
    }

    // ================================================================ transactions

    /** {@link #transaction(IsolationLevel, TransactionBody)} with the database's default isolation. */
    public <T> T transaction(TransactionBody<T> body) throws Exception {
        return transaction(null, body);
    }

    /**
     * Runs {@code body} in a transaction: commits when it returns, rolls back when it throws or is
     * cancelled, and returns its value (asyncpg's {@code async with conn.transaction()}). Called
     * inside a transaction it runs in a savepoint instead: an inner failure rolls back only the
     * inner work (if the outer body catches it).
     *
     * <p>Cancellation: a cancel inside the body rolls back (the rollback is awaited even though the
     * task is cancelled) and the cancellation continues. A cancel during the commit lets the
     * commit finish; whether it succeeded is then unknown to the caller, as with any lost reply.
     *
     * @param isolation null for the database's default; only for the outermost transaction
     * @throws IllegalArgumentException for an isolation level on a nested transaction
     */
    public <T> T transaction(IsolationLevel isolation, TransactionBody<T> body) throws Exception {
        Objects.requireNonNull(body, "body");
        checkUsable();
        if (transactionDepth > 0 && isolation != null) {
            throw new IllegalArgumentException("a nested transaction (a savepoint) cannot set an isolation level: set "
                    + isolation + " on the outermost transaction");
        }
        boolean outer = transactionDepth == 0;
        Savepoint savepoint = begin(outer, isolation);
        transactionDepth++;
        T result;
        try {
            result = body.run(this);
        } catch (Throwable t) {
            transactionDepth--;
            endTransaction(outer, savepoint, false, t);
            throw t;
        }
        transactionDepth--;
        endTransaction(outer, savepoint, true, null);
        return result;
    }

    /** The number of transactions (1) and savepoints open on this connection. */
    public int transactionDepth() {
        return transactionDepth;
    }

    private Savepoint begin(boolean outer, IsolationLevel isolation) throws SQLException {
        worker.dirty = true;
        return run("begin", w -> {
            java.sql.Connection jdbc = w.jdbc();
            if (!outer) {
                return jdbc.setSavepoint();
            }
            if (isolation != null) {
                jdbc.setTransactionIsolation(isolation.jdbcLevel);
            }
            jdbc.setAutoCommit(false);
            return null;
        });
    }

    /** Commits or rolls back; a failure to roll back is added to {@code failure}, and the connection is given up. */
    private void endTransaction(boolean outer, Savepoint savepoint, boolean commit, Throwable failure) throws SQLException {
        if (commit && busyWith != null) {
            throw new IllegalStateException("the transaction body returned while the connection is still busy with " + busyWith
                    + " (close the RowStream inside the body)");
        }
        try {
            run(commit ? "commit" : "rollback", w -> {
                java.sql.Connection jdbc = w.jdbc();
                if (!outer) {
                    if (commit) {
                        jdbc.releaseSavepoint(savepoint);
                    } else {
                        jdbc.rollback(savepoint);
                    }
                    return null;
                }
                try {
                    w.finishTransaction(commit);
                } finally {
                    w.resetSession();
                }
                return null;
            });
            if (outer) {
                worker.dirty = false;
            }
        } catch (SQLException e) {
            if (failure == null) {
                throw e;
            }
            worker.markBroken();
            failure.addSuppressed(e);
        } catch (IllegalStateException busy) {
            if (failure == null) {
                throw busy;
            }
            failure.addSuppressed(busy); // the body left an operation running; the pool resets the connection
        }
    }

    // ================================================================ pool

    /**
     * Gives the connection back to the pool; idempotent. An open {@link RowStream} is closed first;
     * an open transaction (a close inside a transaction body) is rolled back by the pool's reset.
     */
    @Override
    public void close() {
        if (released) {
            return;
        }
        if (openStream != null) {
            openStream.close(); // a stream that owns this connection gives it back itself
            if (released) {
                return;
            }
        }
        if (busyWith != null) {
            throw new IllegalStateException("cannot give the connection back while it is busy with " + busyWith
                    + " in another task: wait for it to end");
        }
        released = true;
        if (transactionDepth > 0) {
            worker.dirty = true;
        }
        pool.releaseAfterReset(worker);
    }

    /** True after {@link #close()}. */
    public boolean isReleased() {
        return released;
    }

    // ================================================================ internals

    /** Runs one operation on the worker, marking the connection busy meanwhile. */
    <T> T run(String what, ConnectionWorker.Work<T> work) throws SQLException {
        enter(what);
        try {
            return worker.call(work);
        } finally {
            busyWith = null;
        }
    }

    /** Marks the start of an operation; the caller clears {@code busyWith} when it ends. */
    void enter(String what) {
        checkUsable();
        if (busyWith != null) {
            throw new IllegalStateException("another operation is in progress on this connection (" + busyWith
                    + "): one operation at a time per connection; use the Database's methods to run queries concurrently");
        }
        busyWith = what;
    }

    /** A stream ended: the connection is free again. */
    void streamClosed(RowStream stream) {
        if (openStream == stream) {
            openStream = null;
            busyWith = null;
        }
    }

    private void checkUsable() {
        database.checkLoop();
        if (released) {
            throw new IllegalStateException("this connection was given back to the pool: acquire another one");
        }
        pool.checkOpen();
    }

    private static void checkSql(String sql) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("the SQL text is " + (sql == null ? "null" : "empty"));
        }
    }

    private static Object[] checkQuery(String sql, Object[] params) {
        checkSql(sql);
        return params == null ? new Object[] {null} : params; // fetch(sql, (Object) null) binds one NULL
    }

    @Override
    public String toString() {
        return "Connection[" + worker + (released ? ", released" : busyWith != null ? ", busy=" + busyWith : ", free")
                + (transactionDepth > 0 ? ", transactionDepth=" + transactionDepth : "") + "]";
    }
}
