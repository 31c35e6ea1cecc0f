package io.jasyncio.http;

import io.jasyncio.net.TlsOptions;
import java.time.Duration;
import java.util.List;
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
 * @param protocols        subprotocols ({@code Sec-WebSocket-Protocol}) in preference order: a client offers
 *                         them, a server picks the first of its own list that the client offered (none
 *                         offered or none in common: no subprotocol). See {@link WebSocket#protocol()}
 */
public record WebSocketOptions(int maxMessageBytes, Duration closeTimeout, TlsOptions tls, HttpHeaders headers,
                               Duration handshakeTimeout, List<String> protocols) {
    public WebSocketOptions {
        if (maxMessageBytes < 125 || maxMessageBytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("maxMessageBytes must be between 125 and " + (Integer.MAX_VALUE - 64) + ", not " + maxMessageBytes);
        }
        Objects.requireNonNull(closeTimeout, "closeTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        headers = headers == null ? new HttpHeaders() : headers;
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        for (String p : protocols) {
            if (p.isEmpty() || !p.chars().allMatch(HttpHeaders::isTokenChar)) {
                throw new IllegalArgumentException("a subprotocol name is a token, not \"" + p + "\"");
            }
        }
    }

    /** 4 MiB messages (aiohttp's default), 5 s to close, 30 s to connect, default TLS, no extra headers. */
    public static WebSocketOptions defaults() {
        return new WebSocketOptions(4 * 1024 * 1024, Duration.ofSeconds(5), null, new HttpHeaders(), Duration.ofSeconds(30), List.of());
    }

    public WebSocketOptions withMaxMessageBytes(int n) {
        return new WebSocketOptions(n, closeTimeout, tls, headers, handshakeTimeout, protocols);
    }

    public WebSocketOptions withCloseTimeout(Duration d) {
        return new WebSocketOptions(maxMessageBytes, d, tls, headers, handshakeTimeout, protocols);
    }

    public WebSocketOptions withTls(TlsOptions t) {
        return new WebSocketOptions(maxMessageBytes, closeTimeout, t, headers, handshakeTimeout, protocols);
    }

    public WebSocketOptions withHeaders(HttpHeaders h) {
        return new WebSocketOptions(maxMessageBytes, closeTimeout, tls, h, handshakeTimeout, protocols);
    }

    public WebSocketOptions withHandshakeTimeout(Duration d) {
        return new WebSocketOptions(maxMessageBytes, closeTimeout, tls, headers, d, protocols);
    }

    public WebSocketOptions withProtocols(String... names) {
        return new WebSocketOptions(maxMessageBytes, closeTimeout, tls, headers, handshakeTimeout, List.of(names));
    }
}
