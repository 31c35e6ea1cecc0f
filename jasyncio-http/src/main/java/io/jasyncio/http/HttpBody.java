package io.jasyncio.http;

import io.jasyncio.AsyncIterable;
import io.jasyncio.AsyncIterator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;

/**
 * The body of a message received on a connection: a request's on the server, a response's on the client.
 * It is read from the socket as it is consumed, never ahead: a slow consumer slows the peer down (TCP
 * backpressure), and memory stays at one read buffer whatever the body's size. Read it once, whole
 * ({@link #bytes()}, {@link #text()}, {@link #json(Class)}), piece by piece ({@link #readChunk()}), or as an
 * {@link AsyncIterable} of chunks.
 *
 * <h2>States</h2>
 * OPEN (bytes remain) → COMPLETE (the message end was read; the connection may carry the next message) or
 * ABORTED (the connection failed or was given up; the body can not be read any more). Reaching COMPLETE or
 * ABORTED runs the owner's completion action once (the client returns the connection to its pool, the
 * server reads the next request).
 *
 * <p>Loop-confined, one reader at a time; iterate it once.
 */
public final class HttpBody implements AsyncIterable<byte[]> {
    /** What the owner does when the body ends (complete or not). */
    interface Completion {
        void bodyEnded(boolean complete);
    }

    /** Turns a failure while reading into the owner's exception type (the client adds the URL). */
    interface ErrorMapper {
        IOException map(Exception failure);
    }

    /** A transformation of the bytes as they are read (content decoding). */
    interface Decoder {
        byte[] decode(byte[] chunk, boolean last) throws IOException;
    }

    private enum State { OPEN, COMPLETE, ABORTED }

    private final HttpEventReader events;
    private final Charset defaultCharset;
    private final long maxBytes;
    private Decoder decoder;
    private Runnable beforeFirstRead;
    private Completion completion;
    private ErrorMapper errors;
    private State state;
    private HttpHeaders trailers = new HttpHeaders();
    private long bytesRead;
    private boolean iterated;

    HttpBody(HttpEventReader events, Charset defaultCharset, long maxBytes, boolean empty) {
        this.events = events;
        this.defaultCharset = defaultCharset;
        this.maxBytes = maxBytes;
        this.state = State.OPEN;
        if (empty) {
            skipToEnd();
        }
    }

    private void skipToEnd() {
        // A message without a body still has a MessageEnd to consume; the parser emits it without I/O.
        try {
            HttpEvent e = events.parser().next();
            if (!(e instanceof HttpEvent.MessageEnd)) {
                throw new IllegalStateException("a message without body produced " + e);
            }
            state = State.COMPLETE;
        } catch (HttpParseException e) {
            throw new UncheckedIOException(e);
        }
    }

    void decoder(Decoder decoder) {
        this.decoder = decoder;
    }

    void errors(ErrorMapper mapper) {
        this.errors = mapper;
    }

    void beforeFirstRead(Runnable action) {
        this.beforeFirstRead = action;
    }

    /** Sets the owner's action; runs it at once if the body already ended. */
    void onEnd(Completion completion) {
        this.completion = completion;
        if (state != State.OPEN) {
            fireEnd();
        }
    }

    /** The charset bodies are decoded with when the message does not say. */
    Charset defaultCharset() {
        return defaultCharset;
    }

    /** True once the whole body was read. */
    public boolean isComplete() {
        return state == State.COMPLETE;
    }

    /** The trailer fields of a chunked body, once it is complete (empty before and otherwise). */
    public HttpHeaders trailers() {
        return trailers;
    }

    /** Body bytes read so far (as received, before content decoding). */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * The next piece of the body, or null at its end. Suspends until bytes arrive.
     *
     * @throws IOException if the connection fails or the bytes are not valid HTTP
     */
    public byte[] readChunk() throws IOException {
        while (true) {
            if (state == State.COMPLETE) {
                return null;
            }
            if (state == State.ABORTED) {
                throw new IOException("the body can not be read: its connection was closed or given up");
            }
            if (beforeFirstRead != null) {
                Runnable action = beforeFirstRead;
                beforeFirstRead = null;
                action.run();
            }
            HttpEvent e;
            try {
                e = events.next();
            } catch (IOException | io.jasyncio.TimeoutException failure) {
                abort();
                if (errors != null) {
                    throw errors.map(failure);
                }
                throw failure;
            } catch (Throwable t) {
                abort();
                throw t;
            }
            switch (e) {
                case HttpEvent.BodyChunk chunk -> {
                    bytesRead += chunk.data().length;
                    byte[] out = decoder == null ? chunk.data() : decode(chunk.data(), false);
                    if (out.length > 0) {
                        return out;
                    }
                }
                case HttpEvent.MessageEnd end -> {
                    trailers = end.trailers();
                    byte[] tail = decoder == null ? null : decode(new byte[0], true);
                    state = State.COMPLETE;
                    fireEnd();
                    if (tail != null && tail.length > 0) {
                        return tail;
                    }
                    return null;
                }
                default -> {
                    abort();
                    throw new IllegalStateException("unexpected " + e + " inside a body");
                }
            }
        }
    }

    private byte[] decode(byte[] data, boolean last) throws IOException {
        try {
            return decoder.decode(data, last);
        } catch (IOException e) {
            abort();
            throw errors == null ? e : errors.map(e);
        }
    }

    /**
     * The whole body. Suspends until it has arrived.
     *
     * @throws HttpParseException (status 413) if it is larger than this side's body limit
     */
    public byte[] bytes() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] chunk; (chunk = readChunk()) != null; ) {
            if (all.size() + (long) chunk.length > maxBytes) {
                abort();
                throw new HttpParseException(413, "body larger than " + maxBytes + " bytes");
            }
            all.writeBytes(chunk);
        }
        return all.toByteArray();
    }

    /** The whole body as text, in the charset the message names (or this side's default). */
    public String text() throws IOException {
        return new String(bytes(), defaultCharset);
    }

    /** The whole body as text in {@code charset}. */
    public String text(Charset charset) throws IOException {
        return new String(bytes(), charset);
    }

    /** The whole body as JSON, mapped to {@code type} with Jackson (records welcome). */
    public <T> T json(Class<T> type) throws IOException {
        return Json.read(bytes(), type);
    }

    /**
     * Reads and drops the rest of the body, so the connection can carry the next message.
     * Suspends while the bytes arrive.
     */
    public void discard() throws IOException {
        Decoder d = decoder;
        decoder = null; // no point decoding what is dropped
        try {
            while (readChunk() != null) {
                // dropped
            }
        } finally {
            decoder = d;
        }
    }

    /** Gives the body up unread: the connection can not carry another message. */
    public void abort() {
        if (state == State.OPEN) {
            state = State.ABORTED;
            fireEnd();
        }
    }

    private void fireEnd() {
        Completion c = completion;
        if (c != null) {
            completion = null;
            c.bodyEnded(state == State.COMPLETE);
        }
    }

    @Override
    public AsyncIterator<byte[]> iterator() {
        if (iterated) {
            throw new IllegalStateException("an HttpBody can be iterated once");
        }
        iterated = true;
        return new AsyncIterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readChunk();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return next != null;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                byte[] out = next;
                next = null;
                return out;
            }

            @Override
            public void close() {
                if (!isComplete()) {
                    abort();
                }
            }
        };
    }

    @Override
    public String toString() {
        return "HttpBody[" + state + ", read=" + bytesRead + "]";
    }

    static Charset charsetOf(HttpHeaders headers, Charset fallback) {
        String type = headers.get("Content-Type");
        if (type != null) {
            for (String param : type.split(";")) {
                String p = param.trim();
                if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                    String name = p.substring(8).trim().replace("\"", "");
                    try {
                        return Charset.forName(name);
                    } catch (IllegalArgumentException unknown) {
                        return fallback;
                    }
                }
            }
        }
        return fallback;
    }

    static final Charset DEFAULT_TEXT = StandardCharsets.UTF_8;
}
