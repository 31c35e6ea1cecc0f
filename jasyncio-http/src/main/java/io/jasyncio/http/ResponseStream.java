package io.jasyncio.http;

import io.jasyncio.net.StreamWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The body of a streamed {@link HttpResponse}, handed to its {@link HttpResponse.BodyWriter}: aiohttp's
 * {@code StreamResponse.write}. Each {@link #write} frames the bytes (a chunk, or raw under a declared
 * {@code Content-Length}, or raw until the close for an HTTP/1.0 client) and then waits while the
 * connection's write buffer is above its high-water mark, so memory stays at about one buffer however
 * slowly the client reads. The server ends the body (the last chunk) when the writer returns.
 *
 * <p>Cancellation: a write cancelled while it waits leaves its bytes buffered (they are still sent, or
 * dropped with the connection); the body is then incomplete and the server closes the connection.
 * Loop-confined: the request's task writes.
 */
public final class ResponseStream {
    private final StreamWriter writer;
    private final boolean chunked;
    private final long declaredLength; // -1: none
    private long written;
    private boolean finished;

    ResponseStream(StreamWriter writer, boolean chunked, long declaredLength) {
        this.writer = writer;
        this.chunked = chunked;
        this.declaredLength = declaredLength;
    }

    /**
     * Sends {@code data} (an empty array sends nothing) and suspends while the client is behind.
     *
     * @throws IOException if the connection was lost
     * @throws IllegalStateException if it would exceed the declared {@code Content-Length}, or after the end
     */
    public void write(byte[] data) throws IOException {
        if (finished) {
            throw new IllegalStateException("the response body has ended");
        }
        if (data.length == 0) {
            return;
        }
        if (declaredLength >= 0 && written + data.length > declaredLength) {
            throw new IllegalStateException("writing " + data.length + " bytes after " + written
                    + " would exceed the declared Content-Length " + declaredLength);
        }
        written += data.length;
        writer.write(chunked ? HttpEncoder.chunk(data, 0, data.length) : data);
        writer.drain();
    }

    /** Sends {@code text} as UTF-8. */
    public void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Body bytes written so far (without chunk framing). */
    public long bytesWritten() {
        return written;
    }

    /** Bytes waiting in the connection's write buffer (at most about its high-water mark plus one write). */
    public int writeBufferSize() {
        return writer.transport().getWriteBufferSize();
    }

    /**
     * Ends the body: the last chunk. Returns false if a declared length was not reached (the framing is then
     * broken and the connection must close).
     */
    boolean finish() throws IOException {
        if (finished) {
            return true;
        }
        finished = true;
        if (chunked) {
            writer.write(HttpEncoder.lastChunk());
        }
        writer.drain();
        return declaredLength < 0 || written == declaredLength;
    }

    @Override
    public String toString() {
        return "ResponseStream[" + (chunked ? "chunked" : declaredLength >= 0 ? "length " + declaredLength : "until close")
                + ", written=" + written + (finished ? ", finished" : "") + "]";
    }
}
