package io.jasyncio;

import java.util.Iterator;

/**
 * An iterator whose {@link #hasNext()} and {@link #next()} may suspend the calling task: the
 * iterator side of Python's {@code async for}. {@link #close()} is {@code aclose()}: it ends the
 * iteration early and releases what the source holds.
 */
public interface AsyncIterator<T> extends Iterator<T>, AutoCloseable {
    /** Ends the iteration early; idempotent. May suspend. */
    @Override
    void close();
}
