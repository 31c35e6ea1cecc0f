package io.jasyncio.sql;

/**
 * A database URL that cannot be used: empty, of an unknown form, or one that no JDBC driver on the
 * class path accepts. Thrown by {@link Database#open} before any connection is attempted; the
 * message never contains a password.
 */
public class DatabaseUrlException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DatabaseUrlException(String message) {
        super(message);
    }
}
