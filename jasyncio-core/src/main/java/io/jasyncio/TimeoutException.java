package io.jasyncio;

/**
 * A deadline passed: asyncio's {@code TimeoutError}, thrown by {@link Asyncio#waitFor},
 * {@link Asyncio#timeout} scopes, {@link Asyncio#asCompleted} and friends.
 *
 * <p>Not {@link java.util.concurrent.TimeoutException} (which is checked and means "a blocking
 * get gave up"); import this one. It is unchecked.
 *
 * <p>When a {@link Timeout} block's deadline passes, the code inside sees a {@link CancelledError}
 * (so no {@code catch (TimeoutException e)} inside can swallow it) and this exception is thrown
 * where the block ends; its cause is that {@code CancelledError}, and {@link #scope()} names the
 * scope that expired.
 */
public class TimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Timeout scope;

    public TimeoutException(String message) {
        this(message, null, null);
    }

    TimeoutException(String message, Timeout scope, Throwable cause) {
        super(message, cause);
        this.scope = scope;
    }

    /** The scope whose deadline passed, or null when the timeout did not come from a scope. */
    public Timeout scope() {
        return scope;
    }
}
