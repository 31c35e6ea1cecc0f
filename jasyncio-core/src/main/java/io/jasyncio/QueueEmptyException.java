package io.jasyncio;

/** get_nowait() on an empty queue (asyncio's QueueEmpty). */
public class QueueEmptyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueEmptyException(String message) {
        super(message);
    }
}
