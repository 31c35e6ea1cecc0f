package io.jasyncio.http;

import io.jasyncio.net.TlsOptions;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link WebSocket} bounds its peer, and (client side) how it connects.
 *
 * @param maxMessageBytes the largest message accepted, fragments joined (1009 beyond); aiohttp's
 *                        {@code max_msg_size}
 * @param closeTimeout    how long {@link WebSocket#close} waits for the peer's close frame before it drops
 *                        the connection
 * @param tls             client: the TLS settings for {@code wss://} (null: {@link TlsOptions#defaultClient()},
 *                        verification on); ignored by the server
 * @param headers         client: extra header fields of the handshake request (Origin, Authorization,
 *                        Sec-WebSocket-Protocol...); ignored by the server
 * @param handshakeTimeout client: the bound on connecting and the handshake
 */
public record WebSocketOptions(int maxMessageBytes, Duration closeTimeout, TlsOptions tls, HttpHeaders headers,
                               Duration handshakeTimeout) {
    public WebSocketOptions {
        if (maxMessageBytes < 125 || maxMessageBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("maxMessageBytes must be between 125 and " + (Integer.MAX_VALUE - 64) + ", not " + maxMessageBytes);
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        headers = headers == null ? new HttpHeaders() : headers;
    }

    /** 4 MiB messages (aiohttp's default), 5 s to close, 30 s to connect, default TLS, no extra headers. */
    public static WebSocketOptions defaults() {
        return new WebSocketOptions(4 * 1024 * 1024, Duration.ofSeconds(5), null, new HttpHeaders(), Duration.ofSeconds(30));
    }

    public WebSocketOptions withMaxMessageBytes(int n) {
        return new WebSocketOptions(n, closeTimeout, tls, headers, handshakeTimeout);
    }

    public WebSocketOptions withCloseTimeout(Duration d) {
        return new WebSocketOptions(maxMessageBytes, d, tls, headers, handshakeTimeout);
    }

    public WebSocketOptions withTls(TlsOptions t) {
        return new WebSocketOptions(maxMessageBytes, closeTimeout, t, headers, handshakeTimeout);
    }

    public WebSocketOptions withHeaders(HttpHeaders h) {
        return new WebSocketOptions(maxMessageBytes, closeTimeout, tls, h, handshakeTimeout);
    }

    public WebSocketOptions withHandshakeTimeout(Duration d) {
        return new WebSocketOptions(maxMessageBytes, closeTimeout, tls, headers, d);
    }
}
