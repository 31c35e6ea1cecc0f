package io.jasyncio.sql;

import io.jasyncio.AsyncIterable;
import io.jasyncio.AsyncIterator;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of one query, read from the database a batch of {@code fetchSize} rows at a time, as
 * an {@link AsyncIterable} (asyncpg's {@code conn.cursor()}). Backpressure: the next batch is
 * read only when the task asks for a row past the current one, so memory holds at most one batch
 * and a slow consumer slows the reading. Use it once, inside try-with-resources so that leaving the
 * loop early ({@code break}, an exception, a cancel) closes the cursor:
 *
 * <pre>{@code
 * try (RowStream rows = db.stream("SELECT url, bytes FROM page WHERE bytes > ?", 10_000)) {
 *     for (Row row : rows) {
 *         if (done(row)) break;
 *     }
 * }
 * }</pre>
 *
 * <p>PostgreSQL reads with a server-side cursor, which needs a transaction: outside one, the
 * stream opens its own and ends it when it closes. SQLite steps its statement.
 *
 * <p>Threading: loop-confined; {@code hasNext()} suspends while a batch is read.
 *
 * <p>States:
 * <pre>
 *  NEW      | nothing sent yet                      | OPEN (first hasNext), CLOSED (close)
 *  OPEN     | statement executed, cursor open       | DRAINED (last batch read), CLOSED (close, error, cancel)
 *  DRAINED  | every row read, cursor closed;        | CLOSED (close)
 *           | rows may remain in the buffer         |
 *  CLOSED   | cursor closed, connection free        | -
 * </pre>
 *
 * <p>Cancellation: a cancel while a batch is read cancels the statement in the database, closes
 * the stream (rolling back its own transaction) and continues; rows already returned stay valid.
 */
public final class RowStream implements AsyncIterable<Row>, AsyncIterator<Row> {
    private enum State { NEW, OPEN, DRAINED, CLOSED }

    private final Connection connection;
    private final String sql;
    private final Object[] params;
    private final int fetchSize;
    /** The connection was acquired for this stream (Database.stream) and goes back to the pool on close. */
    private final boolean ownsConnection;
    private final ArrayDeque<Row> buffer = new ArrayDeque<>();
    private State state = State.NEW;
    private boolean iterated;

    // worker thread only
    private PreparedStatement statement;
    private ResultSet results;
    private Columns columns;
    private boolean ownTransaction;

    RowStream(Connection connection, String sql, Object[] params, int fetchSize, boolean ownsConnection) {
        this.connection = connection;
        this.sql = sql;
        this.params = params;
        this.fetchSize = fetchSize;
        this.ownsConnection = ownsConnection;
    }

    /** This stream itself: it can be iterated once. */
    @Override
    public AsyncIterator<Row> iterator() {
        if (iterated) {
            throw new IllegalStateException("a RowStream can be iterated only once: run the query again for a second pass");
        }
        iterated = true;
        return this;
    }

    /**
     * True if another row is available; suspends while the next batch is read. An SQLException of
     * the driver is thrown unchanged (undeclared, as Iterator cannot declare it), after the stream
     * was closed.
     */
    @Override
    public boolean hasNext() {
        if (!buffer.isEmpty()) {
            return true;
        }
        if (state == State.DRAINED) {
            close(); // every row consumed: free the connection without waiting for the caller's close
            return false;
        }
        if (state == State.CLOSED) {
            return false;
        }
        try {
            List<Row> batch = connection.worker.call(w -> readBatch(w));
            buffer.addAll(batch);
            if (buffer.isEmpty()) {
                close();
            }
        } catch (Throwable t) {
            try {
                close();
            } catch (Throwable closing) {
                t.addSuppressed(closing);
            }
            throw ConnectionWorker.sneaky(t);
        }
        return !buffer.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has no more rows");
        }
        return buffer.poll();
    }

    /** Worker side: opens the cursor on the first call, then reads up to fetchSize rows; closes the cursor after the last. */
    private List<Row> readBatch(ConnectionWorker w) throws SQLException {
        if (statement == null) {
            java.sql.Connection jdbc = w.jdbc();
            if (jdbc.getAutoCommit() && "PostgreSQL".equals(jdbc.getMetaData().getDatabaseProductName())) {
                jdbc.setAutoCommit(false); // a PostgreSQL cursor lives in a transaction
                ownTransaction = true;
            }
            statement = jdbc.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(fetchSize);
            ConnectionWorker.bind(statement, params);
            w.starting(statement);
            results = statement.executeQuery();
            columns = Columns.of(results.getMetaData());
        }
        w.starting(statement);
        List<Row> batch = new java.util.ArrayList<>(Math.min(fetchSize, 1024));
        while (batch.size() < fetchSize) {
            if (!results.next()) {
                closeCursor(w, true);
                state = State.DRAINED; // read on the loop only after this work completed (the future's happens-before)
                return batch;
            }
            batch.add(ConnectionWorker.read(results, columns));
        }
        state = State.OPEN;
        return batch;
    }

    private void closeCursor(ConnectionWorker w, boolean commit) throws SQLException {
        try {
            if (results != null) {
                results.close();
            }
            if (statement != null) {
                statement.close();
            }
        } finally {
            results = null;
            if (ownTransaction) {
                ownTransaction = false;
                w.finishTransaction(commit);
            }
        }
    }

    /**
     * Closes the cursor (ending the stream's own transaction) and frees the connection; idempotent.
     *
     * <p>Cancellation: a cancel while closing lets the close finish, then is thrown.
     */
    @Override
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        boolean cursorOpen = statement != null && state != State.DRAINED;
        state = State.CLOSED;
        buffer.clear();
        Throwable failure = null;
        if (cursorOpen && !connection.worker.broken()) {
            try {
                connection.worker.call(w -> {
                    closeCursor(w, false);
                    return null;
                });
            } catch (SQLException e) {
                connection.worker.markBroken();
                failure = e;
            } catch (Throwable t) {
                failure = t;
            }
        }
        connection.streamClosed(this);
        if (ownsConnection) {
            try {
                connection.close();
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
        if (failure instanceof SQLException) {
            System.getLogger("io.jasyncio.sql").log(System.Logger.Level.DEBUG, "closing a RowStream failed; its connection is discarded", failure);
        } else if (failure != null) {
            throw ConnectionWorker.unchecked(failure);
        }
    }

    @Override
    public String toString() {
        return "RowStream[" + state + ", buffered=" + buffer.size() + ", fetchSize=" + fetchSize + ", sql=" + sql + "]";
    }
}
