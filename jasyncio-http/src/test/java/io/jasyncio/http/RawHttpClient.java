package io.jasyncio.http;

import io.jasyncio.Asyncio;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A test client that writes raw bytes to a server on 127.0.0.1 and parses what comes back with the
 * module's own response parser: the way to send what no real client would (bad input, pipelines, slow
 * heads). Each read is bounded by {@link #READ_BOUND}, so a broken server fails the test instead of
 * hanging it. Loop-confined.
 */
final class RawHttpClient implements AutoCloseable {
    static final Duration READ_BOUND = Duration.ofSeconds(20);

    record Response(int status, HttpHeaders headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name);
        }
    }

    private final StreamPair streams;
    private final HttpParser parser = HttpParser.forResponses(HttpLimits.CLIENT_DEFAULTS);

    private RawHttpClient(StreamPair streams) {
        this.streams = streams;
    }

    static RawHttpClient connect(int port) throws IOException {
        return new RawHttpClient(Net.openConnection("127.0.0.1", port));
    }

    RawHttpClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttpClient send(byte[] bytes) throws IOException {
        streams.writer().write(bytes);
        streams.writer().drain();
        return this;
    }

    /** Reads one response to a request with {@code method} (HEAD: no body), skipping no interim response. */
    Response read(String method) throws IOException {
        parser.expectResponseTo(method);
        ResponseHead head = null;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            HttpEvent e = parser.next();
            if (e == null) {
                fill();
                continue;
            }
            switch (e) {
                case ResponseHead h -> head = h;
                case HttpEvent.BodyChunk c -> body.writeBytes(c.data());
                case HttpEvent.MessageEnd end -> {
                    return new Response(head.status(), head.headers(), body.toByteArray());
                }
                case HttpEvent.Closed c -> throw new IOException("the server closed the connection before a response");
                default -> throw new IllegalStateException("unexpected " + e);
            }
            if (head != null && head.isInformational()) {
                return new Response(head.status(), head.headers(), new byte[0]);
            }
        }
    }

    Response read() throws IOException {
        return read("GET");
    }

    /** True if the server closed the connection (reads to the end, dropping any bytes). */
    boolean closedByServer() throws IOException {
        try {
            return Asyncio.timeout(READ_BOUND, () -> {
                while (streams.reader().read(65536).length > 0) {
                    // drop
                }
                return true;
            });
        } catch (Exception e) {
            if (e instanceof IOException) {
                return true; // a reset is a close too
            }
            throw e;
        }
    }

    /** Reads up to {@code n} raw bytes. */
    byte[] readRaw(int n) throws IOException {
        return Asyncio.timeout(READ_BOUND, () -> streams.reader().read(n));
    }

    /** Bytes read past the last response (after a 101: the other protocol's first bytes). */
    byte[] takeRemaining() {
        return parser.takeRemaining();
    }

    StreamPair streams() {
        return streams;
    }

    private void fill() throws IOException {
        byte[] data = Asyncio.timeout(READ_BOUND, () -> streams.reader().read(65536));
        if (data.length == 0) {
            parser.feedEof();
        } else {
            parser.feed(data);
        }
    }

    @Override
    public void close() {
        streams.writer().close();
    }
}
