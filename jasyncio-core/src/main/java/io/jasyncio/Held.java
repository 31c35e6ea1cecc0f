package io.jasyncio;

/**
 * What {@code acquire()} returns ({@link Lock}, {@link Semaphore}, {@link Condition}): closing it
 * releases what was acquired, so Python's {@code async with lock:} becomes
 * {@code try (Held held = lock.acquire()) { ... }}. Close it once, from the loop's thread.
 */
public interface Held extends AutoCloseable {
    /** Releases; never throws a checked exception. */
    @Override
    void close();
}
