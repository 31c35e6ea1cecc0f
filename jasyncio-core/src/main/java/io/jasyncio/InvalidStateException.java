package io.jasyncio;

/**
 * An operation is not allowed in the object's current state (asyncio's {@code InvalidStateError}),
 * e.g. {@code setResult} on a future that is already done, or {@code result()} on one that is not.
 */
public class InvalidStateException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public InvalidStateException(String message) {
        super(message);
    }
}
