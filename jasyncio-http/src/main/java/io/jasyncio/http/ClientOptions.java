package io.jasyncio.http;

import io.jasyncio.net.TlsOptions;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link HttpClient} behaves: pool limits, timeouts, redirects, retries, politeness, cookies,
 * compression, TLS, proxy. Start from {@link #DEFAULTS} and change what you need:
 * {@code ClientOptions.DEFAULTS.withMaxConnectionsPerHost(4).withRetry(RetryPolicy.attempts(3))}.
 *
 * <p>Timeouts are the session's own and raise {@link HttpTimeoutException}; a jasyncio
 * {@code timeout(...)} around a request needs no setting here: its deadline cancels the request, the
 * connection is discarded, and the scope raises its TimeoutException as usual.
 *
 * @param maxConnections connections open at once, all hosts together (idle ones included; aiohttp's limit) (default 100)
 * @param maxConnectionsPerHost connections open at once to one origin; 0: no limit of its own (default 0)
 * @param idleTimeout how long an idle keep-alive connection stays in the pool (default 15 s)
 * @param connectTimeout DNS, TCP connect and TLS handshake of a new connection; null: none (default 30 s)
 * @param readTimeout the longest wait between two reads of a response; null: none (default 60 s)
 * @param totalTimeout a whole request, redirects, retries and body included; null: none (default 5 min)
 * @param followRedirects follow 301, 302, 303, 307 and 308 (default true)
 * @param maxRedirects redirects followed before TooManyRedirectsException (default 10)
 * @param retry when a failed request is tried again (opt-in) (default RetryPolicy.NONE)
 * @param requestsPerSecondPerHost requests started per second per host; 0: no limit (default 0)
 * @param cookies keep cookies the servers set and send them back (an in-memory jar per client) (default true)
 * @param decompress ask for gzip/deflate and decode bodies as they stream (default true)
 * @param tls TLS for https URLs (certificate and hostname verification on by default) (default TlsOptions.defaultClient())
 * @param proxy an HTTP proxy (http URLs through it, https through a CONNECT tunnel); null: direct (default null)
 * @param userAgent the User-Agent header sent unless a request sets its own (default "jasyncio-http/0.1")
 * @param limits bounds on a response's head and body (default HttpLimits.CLIENT_DEFAULTS)
 */
public record ClientOptions(int maxConnections,
                            int maxConnectionsPerHost,
                            Duration idleTimeout,
                            Duration connectTimeout,
                            Duration readTimeout,
                            Duration totalTimeout,
                            boolean followRedirects,
                            int maxRedirects,
                            RetryPolicy retry,
                            double requestsPerSecondPerHost,
                            boolean cookies,
                            boolean decompress,
                            TlsOptions tls,
                            URI proxy,
                            String userAgent,
                            HttpLimits limits) {
    public static final ClientOptions DEFAULTS = new ClientOptions(100, 0, Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5), true, 10, RetryPolicy.NONE, 0, true, true, TlsOptions.defaultClient(), null, "jasyncio-http/0.1", HttpLimits.CLIENT_DEFAULTS);

    public ClientOptions {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(userAgent, "userAgent");
        if (maxConnections < 1 || maxConnectionsPerHost < 0 || maxRedirects < 0 || requestsPerSecondPerHost < 0
                || Double.isNaN(requestsPerSecondPerHost) || Double.isInfinite(requestsPerSecondPerHost)) {
            throw new IllegalArgumentException("ClientOptions need maxConnections >= 1, maxConnectionsPerHost >= 0, "
                    + "maxRedirects >= 0 and a finite requestsPerSecondPerHost >= 0");
        }
        for (Duration d : new Duration[] {idleTimeout, connectTimeout, readTimeout, totalTimeout}) {
            if (d != null && !d.isPositive()) {
                throw new IllegalArgumentException("timeouts must be positive (null for none): " + d);
            }
        }
        if (proxy != null && !"http".equalsIgnoreCase(proxy.getScheme())) {
            throw new IllegalArgumentException("only http:// proxies are supported: " + proxy);
        }
    }

    public ClientOptions withMaxConnections(int value) {
        return new ClientOptions(value, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withMaxConnectionsPerHost(int value) {
        return new ClientOptions(maxConnections, value, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withIdleTimeout(Duration value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, value, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withConnectTimeout(Duration value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, value, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withReadTimeout(Duration value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, value, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withTotalTimeout(Duration value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, value, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withFollowRedirects(boolean value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, value, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withMaxRedirects(int value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, value, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withRetry(RetryPolicy value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, value, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withRequestsPerSecondPerHost(double value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, value, cookies, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withCookies(boolean value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, value, decompress, tls, proxy, userAgent, limits);
    }

    public ClientOptions withDecompress(boolean value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, value, tls, proxy, userAgent, limits);
    }

    public ClientOptions withTls(TlsOptions value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, value, proxy, userAgent, limits);
    }

    public ClientOptions withProxy(URI value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, value, userAgent, limits);
    }

    public ClientOptions withUserAgent(String value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, value, limits);
    }

    public ClientOptions withLimits(HttpLimits value) {
        return new ClientOptions(maxConnections, maxConnectionsPerHost, idleTimeout, connectTimeout, readTimeout, totalTimeout, followRedirects, maxRedirects, retry, requestsPerSecondPerHost, cookies, decompress, tls, proxy, userAgent, value);
    }
}
