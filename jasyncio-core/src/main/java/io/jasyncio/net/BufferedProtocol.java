package io.jasyncio.net;

import java.nio.ByteBuffer;

/**
 * A protocol that lends the transport its own buffer to read into, saving a copy: asyncio's
 * {@code BufferedProtocol}. {@code dataReceived} is not called for it.
 */
public interface BufferedProtocol extends Protocol {
    /** A buffer with free space (position..limit) to read into; at least {@code sizeHint} bytes if possible. */
    ByteBuffer getBuffer(int sizeHint);

    /** {@code nbytes} bytes were written into the buffer returned last, starting at its position. */
    void bufferUpdated(int nbytes);
}
