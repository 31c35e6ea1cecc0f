package io.jasyncio.http;

/**
 * A WebSocket handshake that did not succeed: the server answered another status than 101, or a 101
 * without the right {@code Upgrade}, {@code Connection} or {@code Sec-WebSocket-Accept}.
 * {@link #status()} is the server's status (101 if it was the headers that were wrong).
 */
public class WebSocketHandshakeException extends WebSocketProtocolException {
    private final int status;

    public WebSocketHandshakeException(int status, String message) {
        super(1002, message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
