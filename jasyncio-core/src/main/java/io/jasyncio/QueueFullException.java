package io.jasyncio;

/** put_nowait() on a full queue (asyncio's QueueFull). */
public class QueueFullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueFullException(String message) {
        super(message);
    }
}
