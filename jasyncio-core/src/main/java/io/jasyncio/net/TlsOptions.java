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
 * @param suppressRaggedEofs Python's {@code ssl} option of that name: when true, a peer that closes TCP
 *                         without sending {@code close_notify} ends the stream like a clean EOF. Off by
 *                         default: such a truncation could hide lost data (an attacker can cut a
 *                         connection), so a reader of the stream gets an {@link javax.net.ssl.SSLException}
 *                         saying "TLS connection truncated", as asyncio raises. Turn it on for peers known
 *                         to skip {@code close_notify} (many HTTP/1.0 servers mark the end by closing).
 */
public record TlsOptions(SSLContext context, String serverHostname, boolean verifyHostname, List<String> alpn,
                         Duration handshakeTimeout, boolean suppressRaggedEofs) {

    public TlsOptions {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        alpn = alpn == null ? List.of() : List.copyOf(alpn);
        if (!handshakeTimeout.isPositive()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /**
     * TLS with {@code context}, hostname verification and SNI on, no ALPN, 60 s handshake timeout,
     * truncation reported as an error.
     */
    public static TlsOptions of(SSLContext context) {
        return new TlsOptions(context, null, true, List.of(), Duration.ofSeconds(60), false);
    }

    /** The JVM's default trust ({@code SSLContext.getDefault()}), for clients. */
    public static TlsOptions defaultClient() {
        try {
            return of(SSLContext.getDefault());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default SSLContext", e);
        }
    }

    /** A copy with this SNI / verification name (withers are named {@code withX}: {@code serverHostname()} is the accessor). */
    public TlsOptions withServerHostname(String name) {
        return new TlsOptions(context, name, verifyHostname, alpn, handshakeTimeout, suppressRaggedEofs);
    }

    /** A copy that checks (or, for tests against self-signed names, does not check) the certificate's name. */
    public TlsOptions withVerifyHostname(boolean on) {
        return new TlsOptions(context, serverHostname, on, alpn, handshakeTimeout, suppressRaggedEofs);
    }

    /** A copy offering or accepting these application protocols, in preference order. */
    public TlsOptions withAlpn(String... protocols) {
        return new TlsOptions(context, serverHostname, verifyHostname, List.of(protocols), handshakeTimeout, suppressRaggedEofs);
    }

    /** A copy whose handshake must finish within {@code d} (positive). */
    public TlsOptions withHandshakeTimeout(Duration d) {
        return new TlsOptions(context, serverHostname, verifyHostname, alpn, d, suppressRaggedEofs);
    }

    /** A copy that treats a missing {@code close_notify} as a clean end of the stream (see the record's comment). */
    public TlsOptions withSuppressRaggedEofs(boolean on) {
        return new TlsOptions(context, serverHostname, verifyHostname, alpn, handshakeTimeout, on);
    }
}
