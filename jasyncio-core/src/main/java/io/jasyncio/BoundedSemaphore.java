package io.jasyncio;

/**
 * A {@link Semaphore} that refuses to be released more often than acquired: asyncio's
 * {@code BoundedSemaphore}.
 */
public final class BoundedSemaphore extends Semaphore {
    private final int bound;

    public BoundedSemaphore(int value) {
        super(value);
        this.bound = value;
    }

    /** @throws IllegalStateException when released more often than acquired */
    @Override
    public void release() {
        loop();
        if (value >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times (bound " + bound + ")");
        }
        super.release();
    }
}
