package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.internal.LabelledFuture;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Networking entry points: asyncio's {@code open_connection}, {@code start_server},
 * {@code loop.create_connection}, {@code loop.create_server}, {@code loop.sock_*} and
 * {@code getaddrinfo}. Every method suspends the calling task and must run inside one.
 *
 * {@snippet class=io.jasyncio.snippets.ApiSnippets region=client}
 *
 * <p>Errors are the JDK's own, specific {@link IOException}s, thrown at the caller:
 * {@link java.net.ConnectException} (refused), {@link java.net.UnknownHostException},
 * {@link java.net.BindException} (port in use). The loop and other connections are unaffected,
 * and a failed attempt leaves no channel open.
 */
public final class Net {
    private Net() {}

    /** Runs a stream server's connection: one task per client. */
    @FunctionalInterface
    public interface ClientHandler {
        void handle(StreamReader reader, StreamWriter writer) throws Exception;
    }

    /** A connected protocol and its transport: what {@link #createConnection} returns. */
    public record Connection<P extends Protocol>(Transport transport, P protocol) {}

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    // ---------------------------------------------------------------- names

    /**
     * Resolves {@code host} (off the loop thread unless it is a literal address): asyncio's
     * {@code getaddrinfo}. Every address, in the resolver's order.
     */
    public static List<InetSocketAddress> getAddrInfo(String host, int port) throws IOException {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        InetAddress[] all;
        if (IPV4.matcher(host).matches() || host.indexOf(':') >= 0) {
            all = new InetAddress[] {InetAddress.getByName(host)}; // a literal: no lookup
        } else {
            all = Asyncio.toThread(() -> InetAddress.getAllByName(host));
        }
        List<InetSocketAddress> out = new ArrayList<>(all.length);
        for (InetAddress a : all) {
            out.add(new InetSocketAddress(a, port));
        }
        return out;
    }

    /**
     * The host name of {@code address} by reverse lookup, off the loop thread (asyncio's
     * {@code getnameinfo}); the literal address when there is no name.
     */
    public static String getNameInfo(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        InetAddress a = address.getAddress();
        if (a == null) {
            return address.getHostString();
        }
        return Asyncio.toThread(a::getCanonicalHostName);
    }

    // ---------------------------------------------------------------- transports & protocols

    /**
     * Connects to {@code host:port}, trying each resolved address in turn, and starts
     * {@code factory}'s protocol on the connection.
     */
    public static <P extends Protocol> Connection<P> createConnection(Supplier<P> factory, String host, int port) throws IOException {
        return createConnection(factory, host, port, ConnectOptions.defaults());
    }

    /**
     * {@link #createConnection(Supplier, String, int)} over TLS when {@code tls} is not null: returns
     * once the handshake is done; a failed handshake throws {@link javax.net.ssl.SSLHandshakeException}
     * naming the cause, and closes the socket.
     */
    public static <P extends Protocol> Connection<P> createConnection(Supplier<P> factory, String host, int port, TlsOptions tls)
            throws IOException {
        return createConnection(factory, host, port, ConnectOptions.defaults().withTls(tls));
    }

    /**
     * Connects to {@code host:port} as {@code options} say (Happy Eyeballs, interleaving, a local
     * address, socket options, TLS, a resolver) and starts {@code factory}'s protocol on the connection:
     * asyncio's {@code create_connection} with its keyword arguments. With TLS it returns once the
     * handshake is done.
     */
    public static <P extends Protocol> Connection<P> createConnection(Supplier<P> factory, String host, int port, ConnectOptions options)
            throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        SocketChannel ch = connect(host, port, options);
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
        awaitHandshake(tlsProtocol, raw);
        return new Connection<>(tlsProtocol.appTransport(), protocol);
    }

    /** Waits for the TLS handshake; on any failure (or cancellation) aborts the raw connection and rethrows. */
    static void awaitHandshake(TlsProtocol tlsProtocol, Transport raw) throws IOException {
        try {
            tlsProtocol.handshake.await();
        } catch (RuntimeException | Error e) {
            raw.abort();
            throw e;
        } catch (Exception e) {
            raw.abort();
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    private static SocketChannel connect(String host, int port, ConnectOptions options) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        List<InetSocketAddress> addrs = options.resolver().resolve(host, port);
        return HappyEyeballs.connect(addrs, options, host);
    }

    /** A non-blocking channel of {@code family} connected to {@code addr}; closed again if connecting fails. */
    private static SocketChannel openConnected(java.net.ProtocolFamily family, SocketAddress addr) throws IOException {
        SocketChannel ch = SocketChannel.open(family);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            sockConnect(ch, addr);
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
    private static <P extends Protocol> Connection<P> startPlain(EventLoop loop, SocketChannel ch, P protocol, ConnectOptions options)
            throws IOException {
        SocketTransport t = newTransport(loop, ch, protocol, options);
        t.start();
        Asyncio.yieldNow(); // connectionMade runs on the next turn
        return new Connection<>(t, protocol);
    }

    /**
     * Wraps a connected socket that was accepted (or connected) elsewhere into a transport with
     * {@code factory}'s protocol: asyncio's {@code connect_accepted_socket}. The channel is made
     * non-blocking; it belongs to the transport from now on.
     */
    public static <P extends Protocol> Connection<P> connectAcceptedSocket(Supplier<P> factory, SocketChannel ch) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(ch, "ch");
        if (!ch.isConnected()) {
            throw new IllegalArgumentException("connectAcceptedSocket() needs a connected socket, not " + ch);
        }
        EventLoop loop = Asyncio.getRunningLoop();
        ch.configureBlocking(false);
        return startPlain(loop, ch, factory.get(), ConnectOptions.defaults());
    }

    /** {@link #connectAcceptedSocket} with streams: the reader and writer of an already connected socket. */
    public static StreamPair openAcceptedSocket(SocketChannel ch) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader();
        StreamReaderProtocol protocol = connectAcceptedSocket(() -> new StreamReaderProtocol(loop, reader, null), ch).protocol();
        return new StreamPair(reader, protocol.writer());
    }

    /**
     * Listens on {@code host:port} (port 0: any free port; host null: every interface) and starts
     * a protocol from {@code factory} for every connection. {@code SO_REUSEADDR} is on; backlog 100.
     */
    public static Server createServer(Supplier<? extends Protocol> factory, String host, int port) throws IOException {
        return createServer(factory, host, port, 100, false);
    }

    /**
     * A TLS server: every connection does the handshake first; the protocol from {@code factory}
     * starts only after it succeeded. A client that fails the handshake (or speaks plain text) is
     * dropped without disturbing the others.
     */
    public static Server createServer(Supplier<? extends Protocol> factory, String host, int port, TlsOptions tls) throws IOException {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(factory, "factory");
        EventLoop loop = Asyncio.getRunningLoop();
        return createServer(() -> new TlsProtocol(loop, tls, factory.get(), true, null, -1), host, port);
    }

    /**
     * {@link #createServer(Supplier, String, int)} with a backlog and {@code SO_REUSEPORT}. A host
     * name that resolves to several addresses (IPv4 and IPv6) listens on each.
     */
    public static Server createServer(Supplier<? extends Protocol> factory, String host, int port, int backlog, boolean reusePort)
            throws IOException {
        return createServer(factory, host, port, ServerOptions.defaults().withBacklog(backlog).withReusePort(reusePort));
    }

    /**
     * Listens on {@code host:port} as {@code options} say (backlog, {@code SO_REUSEPORT}, TLS, whether to
     * start serving now: asyncio's {@code start_serving}). A host name that resolves to several
     * addresses (IPv4 and IPv6) listens on each. The options' reader limit is for stream servers and
     * is not used here.
     */
    public static Server createServer(Supplier<? extends Protocol> factory, String host, int port, ServerOptions options)
            throws IOException {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        Supplier<? extends Protocol> protocols = factory;
        if (options.tls() != null) {
            EventLoop loop = Asyncio.getRunningLoop();
            TlsOptions tls = options.tls();
            protocols = () -> new TlsProtocol(loop, tls, factory.get(), true, null, -1);
        }
        List<InetSocketAddress> addrs = host == null ? List.of(new InetSocketAddress(port)) : getAddrInfo(host, port);
        return listen(protocols, new ArrayList<>(addrs), options);
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

    // ---------------------------------------------------------------- UDP

    /** What {@link #createDatagramEndpoint} returns. */
    public record DatagramEndpoint<P extends DatagramProtocol>(DatagramTransport transport, P protocol) {}

    /**
     * Opens a UDP endpoint (asyncio's {@code create_datagram_endpoint}): bound to {@code local}
     * (null: any port), connected to {@code remote} if given, with {@code SO_BROADCAST} if asked.
     */
    public static <P extends DatagramProtocol> DatagramEndpoint<P> createDatagramEndpoint(
            Supplier<P> factory, InetSocketAddress local, InetSocketAddress remote, boolean broadcast) throws IOException {
        Objects.requireNonNull(factory, "factory");
        if (local == null && remote == null) {
            throw new IllegalArgumentException("give a local address to listen on, a remote one to connect to, or both");
        }
        EventLoop loop = Asyncio.getRunningLoop();
        boolean v6 = (local != null ? local : remote).getAddress() instanceof java.net.Inet6Address;
        java.nio.channels.DatagramChannel ch = java.nio.channels.DatagramChannel.open(
                v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            if (broadcast) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            ch.bind(local);
            if (remote != null) {
                ch.connect(remote);
            }
            ok = true;
        } finally {
            if (!ok) {
                Server.closeQuietly(ch);
            }
        }
        P protocol = factory.get();
        DatagramTransport t = new DatagramTransport(loop, ch, protocol);
        t.start();
        Asyncio.yieldNow(); // connectionMade has run when this returns
        return new DatagramEndpoint<>(t, protocol);
    }

    // ---------------------------------------------------------------- Unix domain sockets

    /** Connects to the Unix domain socket at {@code path} (asyncio's {@code create_unix_connection}). */
    public static <P extends Protocol> Connection<P> createUnixConnection(Supplier<P> factory, Path path) throws IOException {
        Objects.requireNonNull(factory, "factory");
        EventLoop loop = Asyncio.getRunningLoop();
        SocketChannel ch = openConnected(StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(path));
        return startPlain(loop, ch, factory.get(), ConnectOptions.defaults());
    }

    /**
     * Listens on a Unix domain socket at {@code path} (asyncio's {@code create_unix_server}); the
     * socket file is removed when the server closes.
     */
    public static Server createUnixServer(Supplier<? extends Protocol> factory, Path path) throws IOException {
        Objects.requireNonNull(factory, "factory");
        Server s = listen(factory, List.of(UnixDomainSocketAddress.of(path)), ServerOptions.defaults());
        s.removeOnClose(path);
        return s;
    }

    /** Stream pair over a Unix domain socket (asyncio's {@code open_unix_connection}). */
    public static StreamPair openUnixConnection(Path path) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader();
        StreamReaderProtocol protocol = createUnixConnection(() -> new StreamReaderProtocol(loop, reader, null), path).protocol();
        return new StreamPair(reader, protocol.writer());
    }

    /** Stream server on a Unix domain socket (asyncio's {@code start_unix_server}). */
    public static Server startUnixServer(ClientHandler handler, Path path) throws IOException {
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = Asyncio.getRunningLoop();
        return createUnixServer(() -> new StreamReaderProtocol(loop, new StreamReader(), handler), path);
    }

    // ---------------------------------------------------------------- streams

    /** Connects and returns the stream pair (asyncio's {@code open_connection}). */
    public static StreamPair openConnection(String host, int port) throws IOException {
        return openConnection(host, port, StreamReader.DEFAULT_LIMIT);
    }

    /** {@link #openConnection(String, int)} with the reader's buffer limit. */
    public static StreamPair openConnection(String host, int port, int limit) throws IOException {
        return openConnection(host, port, limit, null);
    }

    /** {@link #openConnection(String, int)} over TLS (null {@code tls}: plain), returning after the handshake. */
    public static StreamPair openConnection(String host, int port, TlsOptions tls) throws IOException {
        return openConnection(host, port, StreamReader.DEFAULT_LIMIT, tls);
    }

    private static StreamPair openConnection(String host, int port, int limit, TlsOptions tls) throws IOException {
        return openConnection(host, port, ConnectOptions.defaults().withLimit(limit).withTls(tls));
    }

    /**
     * Connects as {@code options} say (Happy Eyeballs, interleaving, a local address, socket options,
     * TLS, the reader's limit, a resolver) and returns the stream pair: asyncio's {@code open_connection}
     * with its keyword arguments.
     */
    public static StreamPair openConnection(String host, int port, ConnectOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(options.limit());
        StreamReaderProtocol protocol = createConnection(() -> new StreamReaderProtocol(loop, reader, null), host, port, options).protocol();
        return new StreamPair(reader, protocol.writer());
    }

    /**
     * Listens and runs {@code handler} in a new task for every connection (asyncio's
     * {@code start_server}). An exception from a handler goes to the loop's exception handler and
     * closes that connection only.
     */
    public static Server startServer(ClientHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, StreamReader.DEFAULT_LIMIT);
    }

    /** A TLS stream server: each handler starts after its client's handshake succeeded. */
    public static Server startServer(ClientHandler handler, String host, int port, TlsOptions tls) throws IOException {
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = Asyncio.getRunningLoop();
        return createServer(() -> new StreamReaderProtocol(loop, new StreamReader(), handler), host, port, tls);
    }

    /**
     * {@link #startServer(ClientHandler, String, int)} as {@code options} say: backlog,
     * {@code SO_REUSEPORT}, the readers' buffer limit, TLS, and whether to start serving now (asyncio's
     * {@code start_serving}).
     */
    public static Server startServer(ClientHandler handler, String host, int port, ServerOptions options) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        int limit = options.limit();
        return createServer(() -> new StreamReaderProtocol(loop, new StreamReader(limit), handler), host, port, options);
    }

    /** {@link #startServer(ClientHandler, String, int)} with the readers' buffer limit. */
    public static Server startServer(ClientHandler handler, String host, int port, int limit) throws IOException {
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = Asyncio.getRunningLoop();
        return createServer(() -> new StreamReaderProtocol(loop, new StreamReader(limit), handler), host, port);
    }

    // ---------------------------------------------------------------- low-level socket operations

    /** Connects a non-blocking channel, suspending until the attempt finishes. */
    public static void sockConnect(SocketChannel ch, SocketAddress address) throws IOException {
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking");
        }
        if (ch.connect(address)) {
            return;
        }
        waitFor(ch, true);
        ch.finishConnect();
    }

    /** Accepts one connection, suspending until one arrives; the new channel is non-blocking. */
    public static SocketChannel sockAccept(ServerSocketChannel ch) throws IOException {
        while (true) {
            SocketChannel c = ch.accept();
            if (c != null) {
                c.configureBlocking(false);
                return c;
            }
            waitFor(ch, false);
        }
    }

    /** Receives up to {@code n} bytes (empty at the end of the stream), suspending until some arrive. */
    public static byte[] sockRecv(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        int got = sockRecvInto(ch, b);
        return got <= 0 ? new byte[0] : java.util.Arrays.copyOf(b.array(), got);
    }

    /** Receives into {@code buffer}; returns the count, or -1 at the end of the stream. */
    public static int sockRecvInto(SocketChannel ch, ByteBuffer buffer) throws IOException {
        while (true) {
            int n = ch.read(buffer);
            if (n != 0 || !buffer.hasRemaining()) {
                return n;
            }
            waitFor(ch, false);
        }
    }

    /**
     * Sends every byte of {@code data}, suspending while the socket's buffer is full.
     * Cancellation: some bytes may have been sent; the buffer's position says how many.
     */
    public static void sockSendAll(SocketChannel ch, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            if (ch.write(data) == 0) {
                waitFor(ch, true);
            }
        }
    }

    /**
     * Sends the file from {@code offset} to its end over {@code ch} (asyncio's {@code sock_sendfile}),
     * zero-copy through {@code FileChannel.transferTo}; see {@link #sockSendfile(SocketChannel,
     * java.nio.channels.FileChannel, long, long)}.
     */
    public static long sockSendfile(SocketChannel ch, java.nio.channels.FileChannel file, long offset) throws IOException {
        return sockSendfile(ch, file, offset, Long.MAX_VALUE);
    }

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code offset} over the non-blocking socket
     * {@code ch} (asyncio's {@code sock_sendfile}): straight from the file to the socket through
     * {@code FileChannel.transferTo} ({@code sendfile(2)} on Linux, no copy through the JVM),
     * suspending while the socket's buffer is full. Stops early at the end of the file. Returns the bytes
     * sent and leaves the file's position after them, as asyncio does. The file is read on the loop
     * thread from the page cache, like asyncio's; a file on a slow disk is better sent in the fallback
     * way (read on a worker, then written), which {@link StreamWriter#sendfile} uses for TLS.
     *
     * <p>Cancellation: stops; the bytes sent so far are gone (the file position says how many).
     *
     * @throws IllegalArgumentException for a negative offset or a count below 1
     */
    public static long sockSendfile(SocketChannel ch, java.nio.channels.FileChannel file, long offset, long count) throws IOException {
        Objects.requireNonNull(ch, "ch");
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking");
        }
        return transferFile(ch, file, offset, count);
    }

    /** The loop behind {@link #sockSendfile} and {@code SocketTransport.sendfile}. */
    static long transferFile(SocketChannel ch, java.nio.channels.FileChannel file, long offset, long count) throws IOException {
        Objects.requireNonNull(file, "file");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, not " + offset);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, not " + count);
        }
        long sent = 0;
        try {
            while (sent < count) {
                long position = offset + sent;
                if (position >= file.size()) {
                    break; // the end of the file (transferTo would return 0 for ever)
                }
                long n = file.transferTo(position, count - sent, ch);
                if (n > 0) {
                    sent += n;
                } else {
                    waitFor(ch, true);
                }
            }
        } finally {
            file.position(offset + sent);
        }
        return sent;
    }

    private static void waitFor(SelectableChannel ch, boolean write) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Void> ready = new LabelledFuture<>(loop, write ? "socket write" : "socket read", ch);
        Runnable wake = () -> {
            if (!ready.done()) {
                ready.setResult(null);
            }
        };
        if (write) {
            loop.addWriter(ch, wake);
        } else {
            loop.addReader(ch, wake);
        }
        try {
            ready.await();
        } finally {
            if (write) {
                loop.removeWriter(ch);
            } else {
                loop.removeReader(ch);
            }
        }
    }

}
