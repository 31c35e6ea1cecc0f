package io.jasyncio;

/**
 * A {@link Semaphore} that refuses to be released more often than acquired: asyncio's
 * {@code BoundedSemaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** A bounded semaphore with one permit (asyncio's default). */
    public BoundedSemaphore() {
        this(1);
    }

    /** A bounded semaphore with {@code value} permits, which is also its bound. */
    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /** @throws IllegalStateException when released more often than acquired */
    @Override
    public void release() {
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released more often than acquired (it holds "
                    + bound + " permit" + (bound == 1 ? "" : "s") + ")");
        }
        super.release();
    }
}
