package io.jasyncio.net;

import java.nio.ByteBuffer;

/**
 * The callbacks a stream {@link Transport} makes: asyncio's {@code Protocol}. All run on the
 * loop's thread, never concurrently, in this order: {@code connectionMade}, then any number of
 * {@code dataReceived}, at most one {@code eofReceived}, then exactly one {@code connectionLost}.
 * {@code pauseWriting}/{@code resumeWriting} come in pairs when the transport's write buffer
 * crosses its high and low water marks.
 */
public interface Protocol {
    /** The connection is up; keep the transport to write to it. */
    default void connectionMade(Transport transport) {}

    /**
     * Bytes arrived. {@code data} is a read-only view valid only during this call (the transport
     * reuses its read buffer): copy what you keep.
     */
    default void dataReceived(ByteBuffer data) {}

    /**
     * The peer closed its sending side (half-close). Return true to keep the connection open for
     * writing; false (the default) closes the transport.
     */
    default boolean eofReceived() {
        return false;
    }

    /** The connection is closed; {@code exc} is null for a normal close, else the error. */
    default void connectionLost(Throwable exc) {}

    /** The transport's write buffer went over the high-water mark: stop writing until resumed. */
    default void pauseWriting() {}

    /** The write buffer drained to the low-water mark: writing may go on. */
    default void resumeWriting() {}
}
