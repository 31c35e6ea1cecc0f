package io.jasyncio.http;

import java.io.IOException;

/**
 * Bytes that are not a valid HTTP/1.1 message, or that exceed a {@link HttpLimits limit}. The only
 * exception {@link HttpParser} throws. {@link #status()} is the response a server should send before it
 * closes the connection: 400 for malformed input, 413 for a body over the limit, 414 for a request line
 * over the limit, 431 for headers over the limit, 501 for a transfer coding it does not implement, 505 for
 * an HTTP version it does not speak.
 */
public class HttpParseException extends IOException {
    private final int status;

    public HttpParseException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status code a server answers with. */
    public int status() {
        return status;
    }
}
