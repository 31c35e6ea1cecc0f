package io.jasyncio.net;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How a connection speaks TLS: asyncio's {@code ssl=} arguments, as a record.
 *
 * @param context          the JDK {@link SSLContext} (key material for servers, trust for clients)
 * @param serverHostname   clients: the name to verify and send as SNI; null means the host connected to
 * @param verifyHostname   clients: check the certificate matches the name (default on)
 * @param alpn             application protocols to offer (clients) or accept (servers), in preference order
 * @param handshakeTimeout the handshake must finish within this (default 60 s, as asyncio)
 */
public record TlsOptions(SSLContext context, String serverHostname, boolean verifyHostname, List<String> alpn,
                         Duration handshakeTimeout) {

    public TlsOptions {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
        if (!handshakeTimeout.isPositive()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /** TLS with {@code context}, hostname verification and SNI on, no ALPN, 60 s handshake timeout. */
    public static TlsOptions of(SSLContext context) {
        return new TlsOptions(context, null, true, List.of(), Duration.ofSeconds(60));
    }

    /** The JVM's default trust ({@code SSLContext.getDefault()}), for clients. */
    public static TlsOptions defaultClient() {
        try {
            return of(SSLContext.getDefault());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default SSLContext", e);
        }
    }

    public TlsOptions serverHostname(String name) {
        return new TlsOptions(context, name, verifyHostname, alpn, handshakeTimeout);
    }

    public TlsOptions verifyHostname(boolean on) {
        return new TlsOptions(context, serverHostname, on, alpn, handshakeTimeout);
    }

    public TlsOptions alpn(String... protocols) {
        return new TlsOptions(context, serverHostname, verifyHostname, List.of(protocols), handshakeTimeout);
    }

    public TlsOptions handshakeTimeout(Duration d) {
        return new TlsOptions(context, serverHostname, verifyHostname, alpn, d);
    }
}
