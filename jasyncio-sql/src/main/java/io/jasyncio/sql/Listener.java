package io.jasyncio.sql;

import io.jasyncio.AsyncIterable;
import io.jasyncio.AsyncIterator;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * PostgreSQL {@code LISTEN} as an {@link AsyncIterable} of {@link Notification}s (asyncpg's
 * {@code add_listener}, turned into a pull): for-each suspends until the next notification.
 * The listener holds a connection of its own, outside the pool, until {@link #close()}.
 *
 * <pre>{@code
 * try (Listener pages = db.listen("page_stored")) {
 *     for (Notification n : pages) {
 *         System.out.println(n.payload());
 *     }
 * }
 * }</pre>
 *
 * <p>Backpressure: notifications are read from the server only while the task waits in
 * {@code hasNext()}; until then they wait in the server's notification queue and the socket.
 *
 * <p>Threading: loop-confined. States: LISTENING (iterable) and CLOSED (UNLISTEN sent,
 * connection closed; {@code hasNext()} returns false).
 *
 * <p>Cancellation: a cancel while waiting stops the wait (within one poll interval of 200 ms on
 * the worker thread); no notification is lost: one read meanwhile stays buffered for the next
 * {@code hasNext()}.
 */
public final class Listener implements AsyncIterable<Notification>, AsyncIterator<Notification>, AutoCloseable {
    private static final int POLL_MILLIS = 200;

    private final Database database;
    private final ConnectionWorker worker;
    private final String channel;
    private final ArrayDeque<Notification> buffer = new ArrayDeque<>();
    /** Filled by the worker thread, drained by the loop: a poll interrupted by a cancel still hands over what it read. */
    private final ConcurrentLinkedQueue<Notification> arrived = new ConcurrentLinkedQueue<>();
    private boolean closed;

    Listener(Database database, ConnectionWorker worker, String channel) {
        this.database = database;
        this.worker = worker;
        this.channel = channel;
    }

    /** Sends {@code LISTEN channel} on a new connection. */
    static Listener start(Database database, ConnectionWorker worker, String channel) throws SQLException {
        Listener l = new Listener(database, worker, channel);
        try {
            worker.call(w -> {
                try (Statement s = w.jdbc().createStatement()) {
                    s.execute("LISTEN " + quoteIdentifier(channel));
                }
                return null;
            });
        } catch (Throwable t) {
            worker.closeAsync();
            throw t;
        }
        return l;
    }

    /** The channel this listener listens on. */
    public String channel() {
        return channel;
    }

    @Override
    public AsyncIterator<Notification> iterator() {
        return this;
    }

    /** Suspends until a notification arrives; false once the listener is closed. An SQLException of the driver (a lost connection) is thrown unchanged. */
    @Override
    public boolean hasNext() {
        database.checkLoop();
        while (buffer.isEmpty()) {
            if (closed) {
                return false;
            }
            try {
                worker.call(w -> {
                    PostgresDriver.poll(w, POLL_MILLIS, arrived);
                    return null;
                });
            } catch (SQLException e) {
                throw ConnectionWorker.sneaky(e);
            } finally {
                Notification n;
                while ((n = arrived.poll()) != null) {
                    buffer.add(n);
                }
            }
        }
        return true;
    }

    @Override
    public Notification next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the listener on " + channel + " is closed");
        }
        return buffer.poll();
    }

    /** Stops listening and closes the listener's connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        database.listenerClosed(this);
        Throwable interrupted = ConnectionWorker.awaitUninterrupted(worker.closeAsync()); // closing the session ends its LISTEN
        if (interrupted != null) {
            throw ConnectionWorker.unchecked(interrupted);
        }
    }

    static String quoteIdentifier(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("the channel name is " + (name == null ? "null" : "empty"));
        }
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a channel name cannot contain NUL");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    @Override
    public String toString() {
        return "Listener[channel=" + channel + (closed ? ", closed" : ", listening") + ", buffered=" + buffer.size() + "]";
    }
}
