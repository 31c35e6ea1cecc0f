package io.jasyncio;

/**
 * A send to a closed {@link Channel}, or a receive from one that is closed and drained: Kotlin's
 * {@code ClosedSendChannelException} / {@code ClosedReceiveChannelException}, trio's
 * {@code ClosedResourceError} / {@code EndOfChannel}. {@link #getCause()} is the cause given to
 * {@link Channel#close(Throwable)}, if any, so a consumer learns why its producer stopped.
 */
public class ChannelClosedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
