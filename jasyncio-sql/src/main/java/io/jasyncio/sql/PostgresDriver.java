package io.jasyncio.sql;

import java.sql.SQLException;
import java.util.Queue;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The one place that touches the PostgreSQL driver's own API (the driver is an optional
 * dependency: this class loads only on a PostgreSQL connection).
 */
final class PostgresDriver {
    private PostgresDriver() {}

    /**
     * Worker side: waits for notifications, {@code pollMillis} at a time, until some arrive or the
     * loop asks to stop; adds them to {@code out}.
     */
    static void poll(ConnectionWorker w, int pollMillis, Queue<Notification> out) throws SQLException {
        PGConnection pg = w.jdbc().unwrap(PGConnection.class);
        boolean got = false;
        while (!got && !w.cancelRequested()) {
            PGNotification[] batch = pg.getNotifications(pollMillis);
            if (batch != null) {
                for (PGNotification n : batch) {
                    out.add(new Notification(n.getName(), n.getParameter() == null ? "" : n.getParameter(), n.getPID()));
                    got = true;
                }
            }
        }
    }

    /**
     * Sends PostgreSQL's cancel request for whatever the connection runs (any thread may call it).
     * Unlike {@code Statement.cancel}, it also reaches a statement whose rows are being fetched
     * through a cursor ({@code ResultSet.next}), where the driver no longer counts the statement
     * as executing.
     */
    static void cancelQuery(java.sql.Connection jdbc) throws SQLException {
        jdbc.unwrap(PGConnection.class).cancelQuery();
    }
}
