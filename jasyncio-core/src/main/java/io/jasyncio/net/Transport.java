package io.jasyncio.net;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A bidirectional byte stream owned by the loop: asyncio's {@code Transport}. Writes never block:
 * what the socket does not take at once is buffered and flushed when it becomes writable; above
 * the high-water mark the protocol is told to pause. Every transport of jasyncio (TCP, Unix, UDP,
 * TLS, a child's stdin) does the counting and the pausing with one {@link WriteFlowControl}, whose
 * Javadoc is the contract a transport follows; a custom transport should use it too. Loop-confined.
 */
public interface Transport {
    /** Writes {@code data} (its remaining bytes); copies what cannot be sent at once. */
    void write(ByteBuffer data);

    /** Writes {@code data}. */
    default void write(byte[] data) {
        write(ByteBuffer.wrap(data));
    }

    /** Writes each buffer in order. */
    default void writeLines(List<byte[]> lines) {
        for (byte[] l : lines) {
            write(l);
        }
    }

    /** Closes the sending side after flushing what is buffered (half-close). */
    void writeEof();

    /** True if {@link #writeEof()} is supported. */
    boolean canWriteEof();

    /** Closes after flushing what is buffered; the protocol then gets {@code connectionLost(null)}. */
    void close();

    /** Closes at once, dropping buffered data; the protocol gets {@code connectionLost(null)}. */
    void abort();

    /** True once {@link #close()} or {@link #abort()} was called or the connection was lost. */
    boolean isClosing();

    /** Stops calling {@code dataReceived} until {@link #resumeReading()}. */
    void pauseReading();

    void resumeReading();

    boolean isReading();

    /** Sets the write buffer's high- and low-water marks in bytes (defaults 64 KiB and 16 KiB). */
    void setWriteBufferLimits(int high, int low);

    /** Bytes buffered, not yet written to the socket. */
    int getWriteBufferSize();

    /** {@code "peername"}, {@code "sockname"} (as {@link java.net.SocketAddress}), {@code "socket"} (the channel), or null. */
    Object getExtraInfo(String name);

    Protocol getProtocol();
}
