package io.jasyncio.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link Net#openConnection(String, int, ConnectOptions)} and
 * {@link Net#createConnection(java.util.function.Supplier, String, int, ConnectOptions)} connect:
 * asyncio's {@code open_connection} / {@code create_connection} keyword arguments. Immutable; each
 * {@code withX(...)} returns a copy.
 *
 * <pre>{@code
 * StreamPair c = Net.openConnection("example.org", 443, ConnectOptions.defaults()
 *         .withHappyEyeballsDelay(Duration.ofMillis(250))        // RFC 8305: race the addresses
 *         .withTls(TlsOptions.of(sslContext)));
 * }</pre>
 *
 * @param happyEyeballsDelay RFC 8305 "Happy Eyeballs": start the next address's attempt when the
 *                           current one has not connected within this delay (or at once when it
 *                           fails), keep the first that connects, and close the others. Null (the
 *                           default, as asyncio): one address after the other. RFC 8305 recommends 250 ms.
 * @param interleave         reorder the resolved addresses by family, taking this many of the first
 *                           family and then alternating (RFC 8305 section 4); 0 keeps the resolver's
 *                           order. The default is 1 when a happy-eyeballs delay is set, else 0, as asyncio.
 * @param localAddress       bind the socket to this local address (and port, 0 for any) before
 *                           connecting; addresses of the other family are skipped
 * @param socketOptions      options set on the socket before connecting ({@code SO_KEEPALIVE},
 *                           {@code SO_RCVBUF}...); {@code TCP_NODELAY} is on unless set here
 * @param tls                TLS over the connection, or null for plain TCP
 * @param limit              the {@link StreamReader}'s buffer limit ({@code openConnection})
 * @param resolver           how the host name becomes addresses (default: {@link Net#getAddrInfo})
 */
public record ConnectOptions(Duration happyEyeballsDelay, Integer interleave, InetSocketAddress localAddress,
                             Map<SocketOption<?>, Object> socketOptions, TlsOptions tls, int limit, Resolver resolver) {

    /** Resolves a host name and port to the addresses to try, in order: asyncio's {@code getaddrinfo} step. */
    @FunctionalInterface
    public interface Resolver {
        List<InetSocketAddress> resolve(String host, int port) throws IOException;
    }

    public ConnectOptions {
        if (happyEyeballsDelay != null && happyEyeballsDelay.isNegative()) {
            throw new IllegalArgumentException("happyEyeballsDelay must not be negative: " + happyEyeballsDelay);
        }
        if (interleave != null && interleave < 0) {
            throw new IllegalArgumentException("interleave must be >= 0, not " + interleave);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        Objects.requireNonNull(resolver, "resolver");
        socketOptions = socketOptions == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(socketOptions));
        for (Map.Entry<SocketOption<?>, Object> e : socketOptions.entrySet()) {
            if (!e.getKey().type().isInstance(e.getValue())) {
                throw new IllegalArgumentException("socket option " + e.getKey().name() + " takes a " + e.getKey().type().getSimpleName()
                        + ", not " + e.getValue());
            }
        }
    }

    /** One address after the other, no local address, no options, plain TCP, the default limit. */
    public static ConnectOptions defaults() {
        return new ConnectOptions(null, null, null, Map.of(), null, StreamReader.DEFAULT_LIMIT, Net::getAddrInfo);
    }

    /** The interleave that applies: as set, else 1 with a happy-eyeballs delay and 0 without. */
    public int effectiveInterleave() {
        return interleave != null ? interleave : happyEyeballsDelay != null ? 1 : 0;
    }

    public ConnectOptions withHappyEyeballsDelay(Duration delay) {
        return new ConnectOptions(delay, interleave, localAddress, socketOptions, tls, limit, resolver);
    }

    public ConnectOptions withInterleave(int n) {
        return new ConnectOptions(happyEyeballsDelay, n, localAddress, socketOptions, tls, limit, resolver);
    }

    public ConnectOptions withLocalAddress(InetSocketAddress local) {
        return new ConnectOptions(happyEyeballsDelay, interleave, local, socketOptions, tls, limit, resolver);
    }

    /** A copy that also sets {@code option} to {@code value} on the socket. */
    public <T> ConnectOptions withSocketOption(SocketOption<T> option, T value) {
        Objects.requireNonNull(option, "option");
        Objects.requireNonNull(value, "value");
        Map<SocketOption<?>, Object> m = new LinkedHashMap<>(socketOptions);
        m.put(option, value);
        return new ConnectOptions(happyEyeballsDelay, interleave, localAddress, m, tls, limit, resolver);
    }

    public ConnectOptions withTls(TlsOptions tls) {
        return new ConnectOptions(happyEyeballsDelay, interleave, localAddress, socketOptions, tls, limit, resolver);
    }

    public ConnectOptions withLimit(int limit) {
        return new ConnectOptions(happyEyeballsDelay, interleave, localAddress, socketOptions, tls, limit, resolver);
    }

    public ConnectOptions withResolver(Resolver resolver) {
        return new ConnectOptions(happyEyeballsDelay, interleave, localAddress, socketOptions, tls, limit, resolver);
    }
}
