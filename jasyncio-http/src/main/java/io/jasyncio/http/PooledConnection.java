package io.jasyncio.http;

import io.jasyncio.net.StreamPair;

/**
 * One client connection to one origin, with the response parser that lives as long as it does. Owned by
 * the {@link ConnectionPool}; lent to one request at a time.
 */
final class PooledConnection {
    final Origin origin;
    final StreamPair streams;
    final HttpEventReader events;
    /** Requests sent on this connection so far; a reused connection (> 0) may have been closed by the server meanwhile. */
    int requestsSent;
    /**
     * Set when the exchange left the connection out of step with the server (a request body that was
     * never sent after an early final response): the connection is closed after this response.
     */
    boolean mustClose;
    /** Loop time since which the connection waits in the pool. */
    double idleSince;

    PooledConnection(Origin origin, StreamPair streams, HttpLimits limits) {
        this.origin = origin;
        this.streams = streams;
        this.events = new HttpEventReader(streams.reader(), HttpParser.forResponses(limits), null);
    }

    /** False once the server closed its side or the transport closes: the connection can not carry a request. */
    boolean isOpen() {
        return !streams.reader().atEof() && !streams.writer().isClosing() && streams.reader().exception() == null;
    }

    /** Closes at once, discarding unsent bytes: the connection is never used again. */
    void abort() {
        streams.writer().transport().abort();
    }

    @Override
    public String toString() {
        return "PooledConnection[" + origin + ", requests=" + requestsSent + (isOpen() ? "" : ", closed") + "]";
    }
}
