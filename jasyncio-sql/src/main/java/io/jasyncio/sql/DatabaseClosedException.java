package io.jasyncio.sql;

/** The {@link Database} was closed: no new work is accepted, and waiters for a connection are failed with it. */
public class DatabaseClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DatabaseClosedException(String message) {
        super(message);
    }
}
