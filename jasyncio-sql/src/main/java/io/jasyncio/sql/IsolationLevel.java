package io.jasyncio.sql;

import java.sql.Connection;

/**
 * The isolation level of a transaction (see {@link io.jasyncio.sql.Connection#transaction(IsolationLevel, TransactionBody)}),
 * as in asyncpg's {@code transaction(isolation=...)}. SQLite runs every transaction serializable whatever is asked;
 * PostgreSQL treats {@link #READ_UNCOMMITTED} as {@link #READ_COMMITTED}.
 */
public enum IsolationLevel {
    READ_UNCOMMITTED(Connection.TRANSACTION_READ_UNCOMMITTED),
    READ_COMMITTED(Connection.TRANSACTION_READ_COMMITTED),
    REPEATABLE_READ(Connection.TRANSACTION_REPEATABLE_READ),
    SERIALIZABLE(Connection.TRANSACTION_SERIALIZABLE);

    final int jdbcLevel;

    IsolationLevel(int jdbcLevel) {
        this.jdbcLevel = jdbcLevel;
    }
}
