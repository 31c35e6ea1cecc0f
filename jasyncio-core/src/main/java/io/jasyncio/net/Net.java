package io.jasyncio.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

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
 *
 * <p>This class only delegates: each concept lives in its own class, which states its rules.
 * Names: {@code NameLookup}. Clients: {@code Connector} (over {@code HappyEyeballs}). Servers:
 * {@code ServerFactory}. UDP: {@code DatagramEndpointFactory}. Streams over either:
 * {@code StreamConnections}. The {@code sock*} operations: {@code SocketOps}. TLS:
 * {@code TlsProtocol}.
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

    // ---------------------------------------------------------------- names

    /**
     * Resolves {@code host} (off the loop thread unless it is a literal address): asyncio's
     * {@code getaddrinfo}. Every address, in the resolver's order.
     */
    public static List<InetSocketAddress> getAddrInfo(String host, int port) throws IOException {
        return NameLookup.addresses(host, port);
    }

    /**
     * The host name of {@code address} by reverse lookup, off the loop thread (asyncio's
     * {@code getnameinfo}); the literal address when there is no name.
     */
    public static String getNameInfo(InetSocketAddress address) {
        return NameLookup.name(address);
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
        return Connector.connect(factory, host, port, options);
    }

    /**
     * Wraps a connected socket that was accepted (or connected) elsewhere into a transport with
     * {@code factory}'s protocol: asyncio's {@code connect_accepted_socket}. The channel is made
     * non-blocking; it belongs to the transport from now on.
     */
    public static <P extends Protocol> Connection<P> connectAcceptedSocket(Supplier<P> factory, SocketChannel ch) throws IOException {
        return Connector.adopt(factory, ch);
    }

    /** {@link #connectAcceptedSocket} with streams: the reader and writer of an already connected socket. */
    public static StreamPair openAcceptedSocket(SocketChannel ch) throws IOException {
        return StreamConnections.open(StreamReader.DEFAULT_LIMIT, protocols -> Connector.adopt(protocols, ch));
    }

    /**
     * Listens on {@code host:port} (port 0: any free port; host null: every interface) and starts
     * a protocol from {@code factory} for every connection. {@code SO_REUSEADDR} is on; backlog 100.
     */
    public static Server createServer(Supplier<? extends Protocol> factory, String host, int port) throws IOException {
        return ServerFactory.create(factory, host, port, ServerOptions.defaults());
    }

    /**
     * A TLS server: every connection does the handshake first; the protocol from {@code factory}
     * starts only after it succeeded. A client that fails the handshake (or speaks plain text) is
     * dropped without disturbing the others.
     */
    public static Server createServer(Supplier<? extends Protocol> factory, String host, int port, TlsOptions tls) throws IOException {
        return ServerFactory.create(factory, host, port, ServerOptions.defaults().withTls(Objects.requireNonNull(tls, "tls")));
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
        return ServerFactory.create(factory, host, port, options);
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
        return DatagramEndpointFactory.open(factory, local, remote, broadcast);
    }

    // ---------------------------------------------------------------- Unix domain sockets

    /** Connects to the Unix domain socket at {@code path} (asyncio's {@code create_unix_connection}). */
    public static <P extends Protocol> Connection<P> createUnixConnection(Supplier<P> factory, Path path) throws IOException {
        return Connector.connectUnix(factory, path);
    }

    /**
     * Listens on a Unix domain socket at {@code path} (asyncio's {@code create_unix_server}); the
     * socket file is removed when the server closes.
     */
    public static Server createUnixServer(Supplier<? extends Protocol> factory, Path path) throws IOException {
        return ServerFactory.createUnix(factory, path);
    }

    /** Stream pair over a Unix domain socket (asyncio's {@code open_unix_connection}). */
    public static StreamPair openUnixConnection(Path path) throws IOException {
        return StreamConnections.open(StreamReader.DEFAULT_LIMIT, protocols -> Connector.connectUnix(protocols, path));
    }

    /** Stream server on a Unix domain socket (asyncio's {@code start_unix_server}). */
    public static Server startUnixServer(ClientHandler handler, Path path) throws IOException {
        return ServerFactory.createUnix(StreamConnections.serving(handler, StreamReader.DEFAULT_LIMIT), path);
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
        return StreamConnections.open(Objects.requireNonNull(options, "options").limit(), protocols -> Connector.connect(protocols, host, port, options));
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
        return createServer(StreamConnections.serving(handler, StreamReader.DEFAULT_LIMIT), host, port, tls);
    }

    /**
     * {@link #startServer(ClientHandler, String, int)} as {@code options} say: backlog,
     * {@code SO_REUSEPORT}, the readers' buffer limit, TLS, and whether to start serving now (asyncio's
     * {@code start_serving}).
     */
    public static Server startServer(ClientHandler handler, String host, int port, ServerOptions options) throws IOException {
        return ServerFactory.create(StreamConnections.serving(handler, Objects.requireNonNull(options, "options").limit()), host, port, options);
    }

    /** {@link #startServer(ClientHandler, String, int)} with the readers' buffer limit. */
    public static Server startServer(ClientHandler handler, String host, int port, int limit) throws IOException {
        return ServerFactory.create(StreamConnections.serving(handler, limit), host, port, ServerOptions.defaults());
    }

    // ---------------------------------------------------------------- low-level socket operations

    /** Connects a non-blocking channel, suspending until the attempt finishes. */
    public static void sockConnect(SocketChannel ch, SocketAddress address) throws IOException {
        SocketOps.connect(ch, address);
    }

    /** Accepts one connection, suspending until one arrives; the new channel is non-blocking. */
    public static SocketChannel sockAccept(ServerSocketChannel ch) throws IOException {
        return SocketOps.accept(ch);
    }

    /** Receives up to {@code n} bytes (empty at the end of the stream), suspending until some arrive. */
    public static byte[] sockRecv(SocketChannel ch, int n) throws IOException {
        return SocketOps.recv(ch, n);
    }

    /** Receives into {@code buffer}; returns the count, or -1 at the end of the stream. */
    public static int sockRecvInto(SocketChannel ch, ByteBuffer buffer) throws IOException {
        return SocketOps.recvInto(ch, buffer);
    }

    /**
     * Sends every byte of {@code data}, suspending while the socket's buffer is full.
     * Cancellation: some bytes may have been sent; the buffer's position says how many.
     */
    public static void sockSendAll(SocketChannel ch, ByteBuffer data) throws IOException {
        SocketOps.sendAll(ch, data);
    }

    /**
     * Sends the file from {@code offset} to its end over {@code ch} (asyncio's {@code sock_sendfile}),
     * zero-copy through {@code FileChannel.transferTo}; see {@link #sockSendfile(SocketChannel,
     * FileChannel, long, long)}.
     */
    public static long sockSendfile(SocketChannel ch, FileChannel file, long offset) throws IOException {
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
    public static long sockSendfile(SocketChannel ch, FileChannel file, long offset, long count) throws IOException {
        return SocketOps.sendfile(ch, file, offset, count);
    }

}
