package io.jasyncio.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link HttpServer} bounds its clients.
 *
 * @param limits           request line, head and body sizes (431, 414, 413 beyond); the body limit applies
 *                         however the body is framed
 * @param headerTimeout    the whole request head must arrive within it, counted from the connection's
 *                         accept (first request) or the first byte of a request; else {@code 408} and the
 *                         connection closes (slow-loris defence). Also bounds the wait for a new
 *                         connection's first byte
 * @param keepAliveTimeout how long an idle keep-alive connection waits for its next request before the
 *                         server closes it
 * @param bodyReadTimeout  the longest wait for the next bytes of a request body (null: none); a stalled
 *                         upload ends with {@code 408}
 * @param accessLog        one line per request at INFO on the {@code System.Logger}
 *                         {@code "io.jasyncio.http.access"}
 * @param serverName       the {@code Server} header's value (null: none)
 */
public record HttpServerOptions(HttpLimits limits, Duration headerTimeout, Duration keepAliveTimeout, Duration bodyReadTimeout,
                                boolean accessLog, String serverName) {
    public HttpServerOptions {
        Objects.requireNonNull(limits, "limits");
        positive(headerTimeout, "headerTimeout");
        positive(keepAliveTimeout, "keepAliveTimeout");
        if (bodyReadTimeout != null) {
            positive(bodyReadTimeout, "bodyReadTimeout");
        }
        if (serverName != null) {
            HttpHeaders.checkValue("Server", serverName);
        }
    }

    private static void positive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, not " + d);
        }
    }

    /**
     * {@link HttpLimits#SERVER_DEFAULTS}, 10 s for a head, 75 s keep-alive (nginx's), 60 s between body
     * reads, no access log, {@code Server: jasyncio}.
     */
    public static HttpServerOptions defaults() {
        return new HttpServerOptions(HttpLimits.SERVER_DEFAULTS, Duration.ofSeconds(10), Duration.ofSeconds(75),
                Duration.ofSeconds(60), false, "jasyncio");
    }

    public HttpServerOptions withLimits(HttpLimits l) {
        return new HttpServerOptions(l, headerTimeout, keepAliveTimeout, bodyReadTimeout, accessLog, serverName);
    }

    public HttpServerOptions withHeaderTimeout(Duration d) {
        return new HttpServerOptions(limits, d, keepAliveTimeout, bodyReadTimeout, accessLog, serverName);
    }

    public HttpServerOptions withKeepAliveTimeout(Duration d) {
        return new HttpServerOptions(limits, headerTimeout, d, bodyReadTimeout, accessLog, serverName);
    }

    public HttpServerOptions withBodyReadTimeout(Duration d) {
        return new HttpServerOptions(limits, headerTimeout, keepAliveTimeout, d, accessLog, serverName);
    }

    public HttpServerOptions withAccessLog(boolean on) {
        return new HttpServerOptions(limits, headerTimeout, keepAliveTimeout, bodyReadTimeout, on, serverName);
    }

    public HttpServerOptions withServerName(String name) {
        return new HttpServerOptions(limits, headerTimeout, keepAliveTimeout, bodyReadTimeout, accessLog, name);
    }
}
