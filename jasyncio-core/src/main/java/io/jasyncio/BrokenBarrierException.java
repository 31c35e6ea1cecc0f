package io.jasyncio;

/** A Barrier was aborted or reset while tasks waited on it (asyncio's BrokenBarrierError). */
public class BrokenBarrierException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BrokenBarrierException(String message) {
        super(message);
    }
}
