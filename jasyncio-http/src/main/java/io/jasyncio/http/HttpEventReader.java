package io.jasyncio.http;

import io.jasyncio.Asyncio;
import io.jasyncio.net.StreamReader;
import java.io.IOException;
import java.time.Duration;

/**
 * Pulls {@link HttpEvent}s off a connection: asks the parser, and when it needs bytes, reads them from the
 * stream (suspending) and feeds them. The one place where the sans-I/O codec meets a socket, used by both
 * the server and the client.
 *
 * <p>{@code readTimeout} (null: none) bounds each wait for bytes, not the whole message: a peer that keeps
 * sending is never cut off, one that stalls is; {@link #deadline} bounds them all together. Either raises {@link io.jasyncio.TimeoutException}; callers turn
 * it into their own error. An enclosing deadline arrives, as every cancellation, as a CancelledError.
 *
 * <p>Loop-confined: one reader per connection, used by one task at a time.
 */
final class HttpEventReader {
    static final int READ_SIZE = 64 * 1024;

    private final StreamReader reader;
    private final HttpParser parser;
    private Duration readTimeout;
    private double deadline = Double.POSITIVE_INFINITY; // loop time by which the whole message must be read

    HttpEventReader(StreamReader reader, HttpParser parser, Duration readTimeout) {
        this.reader = reader;
        this.parser = parser;
        this.readTimeout = readTimeout;
    }

    HttpParser parser() {
        return parser;
    }

    void readTimeout(Duration timeout) {
        this.readTimeout = timeout;
    }

    /** The loop time by which every read must be done, whatever the per-read timeout; infinity: none. */
    void deadline(double when) {
        this.deadline = when;
    }

    double deadline() {
        return deadline;
    }

    /** The next event; suspends until the bytes for it arrived. */
    HttpEvent next() throws IOException {
        while (true) {
            HttpEvent event = parser.next();
            if (event != null) {
                return event;
            }
            if (parser.connectionEnds()) {
                throw new IllegalStateException("no more HTTP messages on this connection: " + parser);
            }
            fill();
        }
    }

    /** Reads one block of bytes into the parser (EOF included). */
    void fill() throws IOException {
        double when = deadline;
        if (readTimeout != null) {
            when = Math.min(when, Asyncio.getRunningLoop().time() + readTimeout.toNanos() / 1e9);
        }
        byte[] data = when == Double.POSITIVE_INFINITY ? reader.read(READ_SIZE) : Asyncio.timeoutAt(when, () -> reader.read(READ_SIZE));
        if (data.length == 0) {
            parser.feedEof();
        } else {
            parser.feed(data);
        }
    }
}
