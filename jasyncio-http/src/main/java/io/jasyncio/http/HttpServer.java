package io.jasyncio.http;

import io.jasyncio.Asyncio;
import io.jasyncio.Event;
import io.jasyncio.EventLoop;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.TlsOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An HTTP/1.1 server on the running loop: aiohttp.web's {@code AppRunner} + {@code TCPSite} in one
 * object. Every connection is a task on this loop that reads requests, calls the {@link Handler}
 * (usually a {@link Router}) and writes the responses; no threads of its own (file blocks are read with
 * {@code Asyncio.toThread}).
 *
 * <pre>{@code
 * HttpServer server = HttpServer.start(router, "127.0.0.1", 8080, HttpServerOptions.defaults());
 * ...
 * server.shutdown(Duration.ofSeconds(10));   // stop accepting, finish in-flight requests, close
 * }</pre>
 *
 * <p>What it does for every request: keep-alive and pipelining (answered in order), {@code Expect:
 * 100-continue} answered when the handler first reads the body, an unread body skipped (up to
 * 64 KiB) or the connection closed, HEAD answered without body,
 * {@code Date} and {@code Server} headers; malformed or oversized requests get the parser's status
 * (400, 413, 414, 431, 501, 505) with {@code Connection: close}; a slow head gets 408; a handler
 * exception a 500 (logged once on {@code "io.jasyncio.http.server"}); a handler whose client reset
 * the connection is cancelled.
 *
 * <h2>States</h2>
 * <pre>
 *  state        | accepting | connections               | next
 *  SERVING      | yes       | served                    | SHUTTING_DOWN (shutdown), CLOSED (close)
 *  SHUTTING_DOWN| no        | idle ones closed at once, | CLOSED when every connection ended or the
 *               |           | busy ones finish with     | grace ran out (the rest are cancelled)
 *               |           | {@code Connection: close} |
 *  CLOSED       | no        | none (after waitClosed)   | -
 * </pre>
 * Loop-confined: start, shut down and close it on its loop.
 */
public final class HttpServer implements AutoCloseable {
    private enum State { SERVING, SHUTTING_DOWN, CLOSED }

    private final Handler handler;
    private final HttpServerOptions options;
    private final Set<ServerConnection> connections = new LinkedHashSet<>();
    private final Event allClosed = new Event();
    private Server server;
    private State state = State.SERVING;

    private HttpServer(Handler handler, HttpServerOptions options) {
        this.handler = handler;
        this.options = options;
    }

    /** Starts serving {@code handler} on {@code host:port} (port 0: a free port, see {@link #port()}) with the defaults. */
    public static HttpServer start(Handler handler, String host, int port) throws IOException {
        return start(handler, host, port, HttpServerOptions.defaults());
    }

    /** Starts serving {@code handler} on {@code host:port} with {@code options}. */
    public static HttpServer start(Handler handler, String host, int port, HttpServerOptions options) throws IOException {
        return start(handler, host, port, options, null);
    }

    /** Starts an HTTPS server (null {@code tls}: plain HTTP); each connection is served after its TLS handshake. */
    public static HttpServer start(Handler handler, String host, int port, HttpServerOptions options, TlsOptions tls) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        EventLoop loop = Asyncio.getRunningLoop();
        HttpServer s = new HttpServer(handler, options);
        s.server = tls == null ? Net.createServer(() -> new ServerConnection(s, loop), host, port)
                : Net.createServer(() -> new ServerConnection(s, loop), host, port, tls);
        return s;
    }

    Handler handler() {
        return handler;
    }

    HttpServerOptions options() {
        return options;
    }

    /** The listening port (handy after starting on port 0). */
    public int port() {
        return server.port();
    }

    /** True until {@link #shutdown} or {@link #close()}. */
    public boolean isServing() {
        return state == State.SERVING;
    }

    /** Connections open now (idle keep-alive ones included). */
    public int connectionCount() {
        return connections.size();
    }

    void connectionOpened(ServerConnection c) {
        connections.add(c);
        allClosed.clear();
        if (state != State.SERVING) {
            c.shutdownRequested(); // accepted just before the listening socket closed
        }
    }

    void connectionClosed(ServerConnection c) {
        connections.remove(c);
        if (connections.isEmpty()) {
            allClosed.set();
        }
    }

    /**
     * Graceful shutdown: stops accepting, closes idle keep-alive connections at once, lets requests in
     * flight finish within {@code grace} (their responses carry {@code Connection: close}), then cancels
     * the handlers still running and drops their connections. Suspends until every connection is gone and
     * the port is released.
     *
     * <p>Cancellation: a cancelled shutdown leaves the server not accepting; the connections go on ending
     * as they would have; call {@link #close()} to end them at once.
     */
    public void shutdown(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (state == State.SERVING) {
            state = State.SHUTTING_DOWN;
            server.close();
            for (ServerConnection c : new ArrayList<>(connections)) {
                c.shutdownRequested();
            }
        }
        // Within the grace: every connection's task ends, then every transport flushes its last response
        // (a connection leaves the set when its task ends, possibly with bytes still buffered).
        Boolean clean = Asyncio.timeoutOrNull(grace, () -> {
            waitClosed();
            return Boolean.TRUE;
        });
        if (clean == null) {
            close();
            waitClosed();
        }
        state = State.CLOSED;
    }

    /**
     * Serves until the calling task is cancelled (Ctrl-C under {@code Asyncio.run}), then {@link #shutdown
     * shuts down} within {@code grace}, shielded from that cancellation so that requests in flight get their
     * grace; the cancellation propagates after.
     */
    public void serveUntilCancelled(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        try {
            Asyncio.sleep(Duration.ofDays(365 * 1000L));
        } finally {
            Asyncio.shielded(() -> {
                shutdown(grace);
                return null;
            });
        }
    }

    /** Stops accepting and ends every connection at once, dropping unsent data and cancelling handlers. Idempotent. */
    @Override
    public void close() {
        state = State.CLOSED;
        server.close();
        for (ServerConnection c : new ArrayList<>(connections)) {
            c.abortForShutdown();
        }
        server.abortClients(); // also those still in their TLS handshake, which have no ServerConnection yet
    }

    /** Suspends until the server is closed, every connection ended and the port is released. */
    public void waitClosed() {
        while (!connections.isEmpty()) {
            allClosed.await();
        }
        server.waitClosed();
    }

    @Override
    public String toString() {
        return "HttpServer[" + server.sockets() + ", " + state + ", connections=" + connections.size() + "]";
    }
}
