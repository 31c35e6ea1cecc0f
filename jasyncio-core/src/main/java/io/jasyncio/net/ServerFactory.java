package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The listening side: bound server sockets become a {@link Server} (asyncio's {@code create_server}
 * and {@code create_unix_server}), behind {@link Net#createServer} and {@link Net#createUnixServer}.
 *
 * <p>Invariants: (1) either every address is bound or none stays open: a failure on the second of
 * two addresses closes the first; (2) TCP sockets have {@code SO_REUSEADDR} on (and
 * {@code SO_REUSEPORT} when asked), Unix sockets take neither; (3) with TLS, every connection gets
 * its own {@link TlsProtocol} wrapping a fresh protocol from the factory, which starts only after
 * the handshake.
 *
 * <p>Threading: runs in the calling task; the server belongs to that task's loop.
 */
final class ServerFactory {
    private ServerFactory() {}

    /** Listens on every address of {@code host} (null: every interface) at {@code port} as {@code options} say. */
    static Server create(Supplier<? extends Protocol> factory, String host, int port, ServerOptions options) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        Supplier<? extends Protocol> protocols = factory;
        if (options.tls() != null) {
            EventLoop loop = Asyncio.getRunningLoop();
            TlsOptions tls = options.tls();
            protocols = () -> new TlsProtocol(loop, tls, factory.get(), true, null, -1);
        }
        List<InetSocketAddress> addrs = host == null ? List.of(new InetSocketAddress(port)) : NameLookup.addresses(host, port);
        return listen(protocols, new ArrayList<>(addrs), options);
    }

    /** Listens on a Unix domain socket at {@code path}; the socket file is removed when the server closes. */
    static Server createUnix(Supplier<? extends Protocol> factory, Path path) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Server s = listen(factory, List.of(UnixDomainSocketAddress.of(path)), ServerOptions.defaults());
        s.removeOnClose(path);
        return s;
    }

    private static Server listen(Supplier<? extends Protocol> factory, List<SocketAddress> addrs, ServerOptions options)
            throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        List<ServerSocketChannel> channels = new ArrayList<>();
        try {
            for (SocketAddress addr : addrs) {
                boolean unix = addr instanceof UnixDomainSocketAddress;
                ServerSocketChannel ch = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
                channels.add(ch);
                if (!unix) {
                    ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    if (options.reusePort()) {
                        ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                    }
                }
                ch.bind(addr, options.backlog());
                ch.configureBlocking(false);
            }
        } catch (IOException | RuntimeException e) {
            channels.forEach(Server::closeQuietly);
            throw e;
        }
        return new Server(loop, channels, factory, options.startServing());
    }
}
