package io.jasyncio.http;

import io.jasyncio.Asyncio;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What a client request sends: bytes, text, JSON, a file, or a stream of chunks. A body with a known
 * length is sent with Content-Length, a stream chunked. {@link #replayable()} says whether it can be sent
 * again, for a retry or a 307/308 redirect: every kind can, except a stream, which is read once.
 *
 * <p>A file is read in 64 KiB blocks off the loop thread ({@link Asyncio#toThread}); the next block is
 * read only after the previous one was written and drained, so a slow server never makes the client
 * buffer the file.
 */
public final class RequestBody {
    private final String contentType;
    private final long length; // -1: unknown, sent chunked
    private final byte[] bytes;
    private final Path file;
    private final Iterable<byte[]> stream;

    private RequestBody(String contentType, long length, byte[] bytes, Path file, Iterable<byte[]> stream) {
        this.contentType = contentType;
        this.length = length;
        this.bytes = bytes;
        this.file = file;
        this.stream = stream;
    }

    /** These bytes (not copied: do not change them until the request is sent). */
    public static RequestBody of(byte[] bytes, String contentType) {
        Objects.requireNonNull(bytes, "bytes");
        return new RequestBody(contentType, bytes.length, bytes, null, null);
    }

    /** UTF-8 text, {@code text/plain; charset=utf-8}. */
    public static RequestBody ofText(String text) {
        return of(text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    /** {@code value} written by Jackson, {@code application/json}. */
    public static RequestBody ofJson(Object value) {
        return of(Json.write(value), "application/json");
    }

    /** {@code application/x-www-form-urlencoded} from alternating names and values. */
    public static RequestBody ofForm(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("ofForm needs name/value pairs");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) sb.append('&');
            sb.append(java.net.URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8)).append('=')
                    .append(java.net.URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return of(sb.toString().getBytes(StandardCharsets.US_ASCII), "application/x-www-form-urlencoded");
    }

    /** A file's content (its size read now), {@code application/octet-stream} unless told. */
    public static RequestBody ofFile(Path file, String contentType) throws IOException {
        long size = Asyncio.toThreadChecked(() -> Files.size(file), IOException.class);
        return new RequestBody(contentType == null ? "application/octet-stream" : contentType, size, null, file, null);
    }

    /** Chunks from an iterable (an AsyncIterable suspends between them), sent chunked; not replayable. */
    public static RequestBody ofStream(Iterable<byte[]> chunks, String contentType) {
        Objects.requireNonNull(chunks, "chunks");
        return new RequestBody(contentType, -1, null, null, chunks);
    }

    public String contentType() {
        return contentType;
    }

    /** The length in bytes, or -1 for a stream. */
    public long length() {
        return length;
    }

    public boolean replayable() {
        return stream == null;
    }

    /** Bytes if the body is in memory (written with the head, in one write), else null. */
    byte[] inMemory() {
        return bytes;
    }

    /** The body's blocks, in order: suspends to read a file block or the next streamed chunk. */
    Iterator<byte[]> blocks() {
        if (bytes != null) {
            return java.util.List.of(bytes).iterator();
        }
        if (stream != null) {
            return stream.iterator();
        }
        return new Iterator<>() {
            private FileChannel channel;
            private long position;

            @Override
            public boolean hasNext() {
                return position < length;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    byte[] block = Asyncio.toThreadChecked(this::readBlock, IOException.class);
                    position += block.length;
                    if (position >= length) {
                        Asyncio.toThreadChecked(() -> { channel.close(); return null; }, IOException.class);
                    }
                    return block;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading request body from " + file, e);
                }
            }

            private byte[] readBlock() throws IOException {
                if (channel == null) {
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                }
                ByteBuffer buf = ByteBuffer.allocate((int) Math.min(64 * 1024, length - position));
                while (buf.hasRemaining()) {
                    if (channel.read(buf, position + buf.position()) < 0) {
                        throw new IOException("file " + file + " shrank while it was being sent");
                    }
                }
                return buf.array();
            }
        };
    }

    @Override
    public String toString() {
        return "RequestBody[" + (bytes != null ? bytes.length + " bytes" : file != null ? file : "stream") + ", " + contentType + "]";
    }
}
