package io.jasyncio;

/** put or get on a queue that was shut down (asyncio 3.13's QueueShutDown). */
public class QueueShutDownException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public QueueShutDownException(String message) {
        super(message);
    }
}
