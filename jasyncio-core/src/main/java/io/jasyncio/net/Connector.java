package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The client side: a connected socket becomes a started transport with its protocol (asyncio's
 * {@code create_connection}, {@code create_unix_connection}, {@code connect_accepted_socket}),
 * behind {@link Net#createConnection}, {@link Net#createUnixConnection} and
 * {@link Net#connectAcceptedSocket}.
 *
 * <p>Invariants: (1) a failed attempt leaves no channel open: the channel is closed when connecting,
 * the protocol factory or the TLS handshake fails or is cancelled; (2) a plain connection is returned
 * after the protocol's {@code connectionMade} has run (it runs on the next turn, so the caller yields
 * once); (3) a TLS connection is returned after the handshake, with the application's transport.
 *
 * <p>Threading: runs in the calling task, on its loop.
 */
final class Connector {
    private Connector() {}

    /** Resolves, connects (Happy Eyeballs as {@code options} say) and starts {@code factory}'s protocol. */
    static <P extends Protocol> Net.Connection<P> connect(Supplier<P> factory, String host, int port, ConnectOptions options)
            throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        NameLookup.checkPort(port);
        List<InetSocketAddress> addrs = options.resolver().resolve(host, port);
        SocketChannel ch = HappyEyeballs.connect(addrs, options, host);
        P protocol;
        try {
            protocol = factory.get();
        } catch (RuntimeException | Error e) {
            Server.closeQuietly(ch);
            throw e;
        }
        TlsOptions tls = options.tls();
        if (tls == null) {
            return startPlain(loop, ch, protocol, options);
        }
        TlsProtocol tlsProtocol = new TlsProtocol(loop, tls, protocol, false, host, port);
        SocketTransport raw = newTransport(loop, ch, tlsProtocol, options);
        raw.start();
        tlsProtocol.awaitHandshake(raw);
        return new Net.Connection<>(tlsProtocol.appTransport(), protocol);
    }

    /** Connects to the Unix domain socket at {@code path} and starts {@code factory}'s protocol. */
    static <P extends Protocol> Net.Connection<P> connectUnix(Supplier<P> factory, Path path) throws IOException {
        Objects.requireNonNull(factory, "factory");
        EventLoop loop = Asyncio.getRunningLoop();
        SocketChannel ch = openConnected(StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(path));
        return startPlain(loop, ch, factory.get(), ConnectOptions.defaults());
    }

    /** Takes over the connected {@code ch} (made non-blocking) and starts {@code factory}'s protocol on it. */
    static <P extends Protocol> Net.Connection<P> adopt(Supplier<P> factory, SocketChannel ch) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(ch, "ch");
        if (!ch.isConnected()) {
            throw new IllegalArgumentException("connectAcceptedSocket() needs a connected socket, not " + ch);
        }
        EventLoop loop = Asyncio.getRunningLoop();
        ch.configureBlocking(false);
        return startPlain(loop, ch, factory.get(), ConnectOptions.defaults());
    }

    /** A non-blocking channel of {@code family} connected to {@code addr}; closed again if connecting fails. */
    private static SocketChannel openConnected(ProtocolFamily family, SocketAddress addr) throws IOException {
        SocketChannel ch = SocketChannel.open(family);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            SocketOps.connect(ch, addr);
            ok = true;
            return ch;
        } finally {
            if (!ok) {
                Server.closeQuietly(ch);
            }
        }
    }

    /** A transport on {@code ch}, with the options' socket options applied over the transport's defaults. */
    private static SocketTransport newTransport(EventLoop loop, SocketChannel ch, Protocol protocol, ConnectOptions options)
            throws IOException {
        SocketTransport t = new SocketTransport(loop, ch, protocol);
        if (HappyEyeballs.setsNoDelay(options)) {
            HappyEyeballs.applyOptions(ch, options); // the transport turned TCP_NODELAY on; the caller said otherwise
        }
        return t;
    }

    /** Starts a plain transport on {@code ch}; returns once the protocol's connectionMade has run. */
    private static <P extends Protocol> Net.Connection<P> startPlain(EventLoop loop, SocketChannel ch, P protocol, ConnectOptions options)
            throws IOException {
        SocketTransport t = newTransport(loop, ch, protocol, options);
        t.start();
        Asyncio.yieldNow(); // connectionMade runs on the next turn
        return new Net.Connection<>(t, protocol);
    }
}
