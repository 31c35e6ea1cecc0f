package io.jasyncio;

/**
 * The stream ended before the expected bytes arrived: asyncio's {@code IncompleteReadError}.
 * {@link #partial()} holds what was read (and consumed) before the end.
 */
public class IncompleteReadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final byte[] partial;
    private final int expected;

    /** {@code expected} is -1 when the read waited for a separator rather than a count. */
    public IncompleteReadException(byte[] partial, int expected) {
        super(partial.length + " bytes read on a total of " + (expected < 0 ? "undefined" : expected) + " expected bytes");
        this.partial = partial.clone();
        this.expected = expected;
    }

    /** The bytes read before the end of the stream. */
    public byte[] partial() {
        return partial.clone();
    }

    /** The number of bytes expected, or -1 for "up to a separator". */
    public int expected() {
        return expected;
    }
}
