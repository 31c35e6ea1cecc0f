package io.jasyncio.net;

/**
 * How {@link Net#createServer(java.util.function.Supplier, String, int, ServerOptions)} and
 * {@link Net#startServer(Net.ClientHandler, String, int, ServerOptions)} listen: asyncio's
 * {@code start_server} keyword arguments. Immutable; each {@code withX(...)} returns a copy.
 *
 * <pre>{@code
 * Server s = Net.startServer(handler, "127.0.0.1", 0, ServerOptions.defaults().withStartServing(false));
 * }</pre>
 *
 * @param backlog      the listen backlog (default 100, as asyncio)
 * @param reusePort    {@code SO_REUSEPORT}: several servers (processes, loops) share one port
 * @param startServing accept at once (default); false leaves the server CREATED, its port bound and
 *                     connections waiting in the backlog until {@link Server#startServing()}
 * @param limit        the buffer limit of each connection's {@link StreamReader} (stream servers)
 * @param tls          TLS for every connection, or null for plain TCP
 */
public record ServerOptions(int backlog, boolean reusePort, boolean startServing, int limit, TlsOptions tls) {

    public ServerOptions {
        if (backlog < 0) {
            throw new IllegalArgumentException("backlog must be >= 0, not " + backlog);
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
    }

    /** Backlog 100, no {@code SO_REUSEPORT}, serving at once, the default reader limit, plain TCP. */
    public static ServerOptions defaults() {
        return new ServerOptions(100, false, true, StreamReader.DEFAULT_LIMIT, null);
    }

    /** A copy with {@link #backlog()} set. */
    public ServerOptions withBacklog(int backlog) {
        return new ServerOptions(backlog, reusePort, startServing, limit, tls);
    }

    /** A copy with {@link #reusePort()} set. */
    public ServerOptions withReusePort(boolean on) {
        return new ServerOptions(backlog, on, startServing, limit, tls);
    }

    /** A copy with {@link #startServing()} set. */
    public ServerOptions withStartServing(boolean on) {
        return new ServerOptions(backlog, reusePort, on, limit, tls);
    }

    /** A copy with {@link #limit()} set. */
    public ServerOptions withLimit(int limit) {
        return new ServerOptions(backlog, reusePort, startServing, limit, tls);
    }

    /** A copy with {@link #tls()} set (null: plain TCP). */
    public ServerOptions withTls(TlsOptions tls) {
        return new ServerOptions(backlog, reusePort, startServing, limit, tls);
    }
}
