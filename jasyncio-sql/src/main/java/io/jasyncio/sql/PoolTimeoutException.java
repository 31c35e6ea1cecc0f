package io.jasyncio.sql;

import io.jasyncio.TimeoutException;

/**
 * No pooled connection became free within {@link DatabaseOptions#acquireTimeout()}: the pool is
 * exhausted (every connection lent out and the pool at its size). It is a jasyncio
 * {@link TimeoutException}, as asyncpg's pool raises {@code asyncio.TimeoutError}; it does not come
 * from a {@code timeout(...)} scope, so {@link #scope()} is null.
 */
public class PoolTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    public PoolTimeoutException(String message) {
        super(message);
    }
}
