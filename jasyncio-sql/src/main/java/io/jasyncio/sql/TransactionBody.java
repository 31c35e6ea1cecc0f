package io.jasyncio.sql;

/**
 * The body of a transaction: runs inside a task, with the connection that holds the transaction.
 * Returning commits, throwing (or being cancelled) rolls back.
 */
@FunctionalInterface
public interface TransactionBody<T> {
    T run(Connection connection) throws Exception;
}
