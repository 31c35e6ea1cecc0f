package io.jasyncio;

/**
 * A separator was not found within the stream's buffer limit: asyncio's
 * {@code LimitOverrunError}. {@link #consumed()} is how many bytes would have to be consumed.
 */
public class LimitOverrunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int consumed;

    public LimitOverrunException(String message, int consumed) {
        super(message);
        this.consumed = consumed;
    }

    public int consumed() {
        return consumed;
    }
}
