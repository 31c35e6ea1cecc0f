package io.jasyncio.sql;

import java.sql.SQLException;
import java.util.Queue;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * The one place that touches the PostgreSQL driver's own API (the driver is an optional
 * dependency: this class loads only when a {@link Listener} is used).
 */
final class PostgresNotifications {
    private PostgresNotifications() {}

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
}
