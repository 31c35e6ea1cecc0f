package io.jasyncio.http;

import java.io.IOException;

/**
 * The peer broke RFC 6455 (a bad frame, an unmasked client frame, text that is not UTF-8, a message over
 * the size limit), or the handshake failed. {@link #closeCode()} is the close code sent to the peer
 * before the connection was closed: 1002 protocol error, 1007 invalid data, 1009 message too big.
 */
public class WebSocketProtocolException extends IOException {
    private final int closeCode;

    public WebSocketProtocolException(int closeCode, String message) {
        super(message);
        this.closeCode = closeCode;
    }

    /** The close code this error is answered with. */
    public int closeCode() {
        return closeCode;
    }
}
