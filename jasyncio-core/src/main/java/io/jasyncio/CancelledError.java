package io.jasyncio;

/**
 * A task or future was cancelled: asyncio's {@code CancelledError}.
 *
 * <p>It extends {@link Error}, not {@link Exception}, for the reason Python moved it to
 * {@code BaseException}: a {@code catch (Exception e)} written to handle failures must not swallow
 * a cancellation. Catch it only to clean up, and rethrow it (or call {@link Task#uncancel()} if
 * you really mean to suppress it).
 *
 * <p>It is thrown at the suspension point where the cancelled task was paused; its stack trace is
 * that point's stack.
 */
public class CancelledError extends Error {
    private static final long serialVersionUID = 1L;

    /** A cancellation without message. */
    public CancelledError() {
        super();
    }

    /** A cancellation carrying the message given to {@code cancel(msg)}, possibly null. */
    public CancelledError(String message) {
        super(message);
    }
}
