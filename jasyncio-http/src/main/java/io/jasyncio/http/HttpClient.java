package io.jasyncio.http;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.EventLoop;
import io.jasyncio.TimeoutException;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamPair;
import io.jasyncio.net.TlsOptions;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * An HTTP/1.1 client session (aiohttp's {@code ClientSession}, httpx's {@code AsyncClient}): one pool of
 * keep-alive connections, cookies and settings shared by every request made through it. Every request runs
 * on the loop in the calling task; the client starts no thread (DNS look-ups and file reads go through
 * {@link Asyncio#toThread}, as asyncio's do).
 *
 * <pre>{@code
 * try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withMaxConnectionsPerHost(8))) {
 *     String page = client.get("https://example.org/").raiseForStatus().text();
 *     Item item = client.post(api, RequestBody.ofJson(query)).json(Item.class);
 * }
 * }</pre>
 *
 * <h2>What a request goes through</h2>
 * <ol>
 * <li>the per-host rate limit, if set; then a pooled connection ({@link ConnectionPool}: limits per host and
 *     in total, idle reuse, else DNS + connect + TLS within {@code connectTimeout});</li>
 * <li>the head and body are written (a body in memory with the head, in one write; a file or stream block by
 *     block, each drained before the next is read);</li>
 * <li>the response head is read (1xx skipped), cookies stored; a connection the server had closed while idle
 *     is detected and the request resent once on a new one (if its body can be resent);</li>
 * <li>retries ({@link RetryPolicy}) and redirects (303 and a POST's 301/302 become GET; 307/308 keep the
 *     method and body; {@code Authorization}, {@code Cookie} and {@code Proxy-Authorization} are dropped
 *     when the origin changes);</li>
 * <li>the caller reads the body; its end gives the connection back to the pool.</li>
 * </ol>
 *
 * <h2>Cancellation and deadlines</h2>
 * Cancelling the task, or an enclosing jasyncio {@code timeout(...)} scope expiring, aborts the request at
 * whatever it waits for (a pool slot, the connect, a write, a read): the connection is discarded, never
 * returned to the pool half-used, and the CancelledError goes on (so the scope raises its TimeoutException).
 * The session's own timeouts raise {@link HttpTimeoutException} with the URL.
 *
 * <p>Threading: loop-confined. Create the client in a task and use it from tasks of that loop.
 */
public final class HttpClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.jasyncio.http");
    private static final Duration CONTINUE_WAIT = Duration.ofSeconds(1);
    private static final double DNS_TTL_SECONDS = 10;
    private static final int REDIRECT_BODY_DRAIN_LIMIT = 64 * 1024;

    private record Resolved(List<InetSocketAddress> addresses, double expires) {}

    private final ClientOptions options;
    private final EventLoop loop;
    private final ConnectionPool pool;
    private final HostRateLimiter rateLimiter;
    private final CookieManager cookies;
    private final Map<String, Resolved> dns = new HashMap<>();
    private boolean closed;

    private HttpClient(ClientOptions options) {
        this.options = options;
        this.loop = Asyncio.getRunningLoop();
        this.pool = new ConnectionPool(options.maxConnections(), options.maxConnectionsPerHost(),
                options.idleTimeout().toNanos() / 1e9, this::connect);
        this.rateLimiter = options.requestsPerSecondPerHost() > 0 ? new HostRateLimiter(options.requestsPerSecondPerHost()) : null;
        this.cookies = options.cookies() ? new CookieManager(null, CookiePolicy.ACCEPT_ORIGINAL_SERVER) : null;
    }

    /** A client with {@link ClientOptions#DEFAULTS}. Call from a task. */
    public static HttpClient create() {
        return create(ClientOptions.DEFAULTS);
    }

    /** A client with these options. Call from a task: the client belongs to its loop. */
    public static HttpClient create(ClientOptions options) {
        return new HttpClient(java.util.Objects.requireNonNull(options, "options"));
    }

    public ClientOptions options() {
        return options;
    }

    // ---------------------------------------------------------------- the request methods

    public ClientRequest request(String method, String url) {
        return new ClientRequest(this, method, parse(url));
    }

    public ClientRequest request(String method, URI url) {
        return new ClientRequest(this, method, url);
    }

    public ClientResponse get(String url) throws IOException {
        return request("GET", url).send();
    }

    public ClientResponse get(URI url) throws IOException {
        return request("GET", url).send();
    }

    public ClientResponse head(String url) throws IOException {
        return request("HEAD", url).send();
    }

    public ClientResponse post(String url, RequestBody body) throws IOException {
        return request("POST", url).body(body).send();
    }

    public ClientResponse put(String url, RequestBody body) throws IOException {
        return request("PUT", url).body(body).send();
    }

    public ClientResponse delete(String url) throws IOException {
        return request("DELETE", url).send();
    }

    /** Sockets this client has open (in use, idle, or connecting): what a leak check counts. */
    public int openConnections() {
        return pool.openConnections();
    }

    /** Keep-alive connections waiting in the pool. */
    public int idleConnections() {
        return pool.idleConnections();
    }

    private static URI parse(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a valid URL: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- send: redirects, retries, one exchange

    ClientResponse send(ClientRequest request) throws IOException {
        checkUsable();
        Duration total = request.timeout != null ? request.timeout : options.totalTimeout();
        double deadline = total == null ? Double.POSITIVE_INFINITY : loop.time() + seconds(total);
        String method = request.method;
        URI url = request.url;
        RequestBody body = request.body;
        HttpHeaders headers = new HttpHeaders(request.headers);
        List<URI> redirects = new ArrayList<>();
        while (true) {
            ClientResponse response = sendWithRetries(method, url, headers, body, deadline, total, request.expectContinue, redirects);
            int status = response.status();
            String location = response.header("Location");
            if (!options.followRedirects() || !isRedirect(status) || location == null) {
                return response;
            }
            URI next;
            try {
                next = url.resolve(new URI(location.trim()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return response; // a Location we can not follow: the caller sees the redirect itself
            }
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                return response;
            }
            boolean keepsMethod = status == 307 || status == 308;
            if (keepsMethod && body != null && !body.replayable()) {
                return response; // the streamed body is spent: it can not follow the redirect
            }
            if (redirects.size() >= options.maxRedirects()) {
                response.close();
                throw new TooManyRedirectsException(url, "more than " + options.maxRedirects() + " redirects", null);
            }
            drainForReuse(response);
            redirects.add(url);
            boolean toGet = status == 303 ? !method.equals("HEAD") : !keepsMethod && method.equals("POST");
            if (toGet) {
                method = "GET";
                body = null;
                headers.remove("Content-Type");
                headers.remove("Content-Length");
                headers.remove("Transfer-Encoding");
            }
            if (!Origin.of(next).equals(Origin.of(url))) {
                headers.remove("Authorization");
                headers.remove("Proxy-Authorization");
                headers.remove("Cookie"); // the jar adds the new origin's own
            }
            url = next;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** Reads a small redirect body so its connection can serve the next hop; a large one is dropped with the connection. */
    private static void drainForReuse(ClientResponse response) throws IOException {
        Long length = HttpParser.contentLength(response.headers()); // as the parser framed the body
        if (length != null && length <= REDIRECT_BODY_DRAIN_LIMIT) {
            response.body().discard();
        } else {
            response.close();
        }
    }

    private ClientResponse sendWithRetries(String method, URI url, HttpHeaders headers, RequestBody body, double deadline,
                                           Duration total, boolean expectContinue, List<URI> redirects) throws IOException {
        RetryPolicy retry = options.retry();
        boolean replayable = body == null || body.replayable();
        for (int attempts = 1; ; attempts++) {
            ClientResponse response;
            try {
                response = exchange(method, url, headers, body, deadline, total, expectContinue, redirects);
            } catch (HttpConnectException | HttpTimeoutException | MalformedResponseException e) {
                if (!retry.allows(method, attempts, replayable) || !waitBeforeRetry(retry.delay(attempts, null), deadline)) {
                    throw e;
                }
                LOG.log(System.Logger.Level.DEBUG, "retrying {0} {1} after: {2}", method, url, e.getMessage());
                continue;
            }
            if (retry.retryStatuses().contains(response.status()) && retry.allows(method, attempts, replayable)) {
                Duration delay = retry.delay(attempts, response.header("Retry-After"));
                if (loop.time() + seconds(delay) < deadline) {
                    drainForReuse(response);
                    waitBeforeRetry(delay, deadline);
                    LOG.log(System.Logger.Level.DEBUG, "retrying {0} {1} after status {2}", method, url, response.status());
                    continue;
                }
            }
            return response;
        }
    }

    /** Sleeps before a retry unless that would pass the deadline; false if there is no time left. */
    private boolean waitBeforeRetry(Duration delay, double deadline) {
        if (loop.time() + seconds(delay) >= deadline) {
            return false;
        }
        Asyncio.sleep(delay);
        return true;
    }

    /**
     * One request and its response head on one connection; resent once on a fresh connection when a reused
     * one turns out to have been closed by the server before it answered.
     */
    private ClientResponse exchange(String method, URI url, HttpHeaders userHeaders, RequestBody body, double deadline,
                                    Duration total, boolean expectContinue, List<URI> redirects) throws IOException {
        Origin origin = Origin.of(url);
        if (rateLimiter != null) {
            rateLimiter.acquire(origin.host());
        }
        HttpHeaders headers = requestHeaders(origin, url, userHeaders, body);
        if (expectContinue && body != null) {
            headers.set("Expect", "100-continue");
        }
        String target = options.proxy() != null && !origin.tls() ? withoutFragment(url) : originForm(url);
        byte[] head = HttpEncoder.requestHead(method, target, headers);
        for (boolean firstTry = true; ; firstTry = false) {
            PooledConnection c = withDeadline(deadline, total, url, () -> pool.acquire(origin));
            boolean reused = c.requestsSent > 0;
            c.requestsSent++;
            boolean done = false;
            try {
                ResponseHead response = writeAndReadHead(c, method, head, body, deadline, total, url, expectContinue);
                if (response == null) { // the server had closed the reused connection: nothing was answered
                    if (reused && firstTry && (body == null || body.replayable())) {
                        pool.release(c, false);
                        done = true;
                        continue;
                    }
                    throw new MalformedResponseException(url, "the server closed the connection without a response", null);
                }
                ClientResponse r = responseFor(c, url, method, response, redirects);
                done = true;
                return r;
            } catch (IOException e) {
                if (reused && firstTry && isConnectionLost(e) && (body == null || body.replayable())) {
                    pool.release(c, false);
                    done = true;
                    continue; // a keep-alive race: the server closed it as we sent
                }
                throw e instanceof HttpClientException ? e : new MalformedResponseException(url, "connection failed: " + e.getMessage(), e);
            } finally {
                if (!done) {
                    pool.release(c, false); // failed or cancelled mid-exchange: the connection's state is unknown
                }
            }
        }
    }

    private static boolean isConnectionLost(IOException e) {
        return !(e instanceof HttpClientException) && !(e instanceof HttpParseException);
    }

    private HttpHeaders requestHeaders(Origin origin, URI url, HttpHeaders userHeaders, RequestBody body) throws IOException {
        HttpHeaders h = new HttpHeaders(userHeaders);
        h.setIfAbsent("Host", origin.hostHeader());
        h.setIfAbsent("User-Agent", options.userAgent());
        h.setIfAbsent("Accept", "*/*");
        if (options.decompress()) {
            h.setIfAbsent("Accept-Encoding", "gzip, deflate");
        }
        if (cookies != null) {
            List<String> jar = cookies.get(url, Map.of()).getOrDefault("Cookie", List.of());
            if (!jar.isEmpty()) {
                String own = h.get("Cookie");
                String all = String.join("; ", jar);
                h.set("Cookie", own == null ? all : own + "; " + all);
            }
        }
        if (body != null) {
            if (body.contentType() != null) {
                h.setIfAbsent("Content-Type", body.contentType());
            }
            if (body.length() >= 0) {
                h.set("Content-Length", Long.toString(body.length()));
                h.remove("Transfer-Encoding");
            } else {
                h.set("Transfer-Encoding", "chunked");
                h.remove("Content-Length");
            }
        }
        return h;
    }

    /** Writes the request and reads its final response head; null if the connection was closed before any byte came back. */
    private ResponseHead writeAndReadHead(PooledConnection c, String method, byte[] head, RequestBody body, double deadline,
                                          Duration total, URI url, boolean expectContinue) throws IOException {
        HttpParser parser = c.events.parser();
        parser.expectResponseTo(method);
        c.events.readTimeout(options.readTimeout());
        c.events.deadline(deadline);
        var writer = c.streams.writer();
        byte[] inMemory = body == null ? null : body.inMemory();
        if (body == null || (inMemory != null && !expectContinue)) {
            writer.write(inMemory == null ? head : ContentDecoder.concat(head, inMemory));
            withDeadline(deadline, total, url, () -> { writer.drain(); return null; });
        } else {
            writer.write(head);
            withDeadline(deadline, total, url, () -> { writer.drain(); return null; });
            if (expectContinue) {
                ResponseHead early = Asyncio.timeoutOrNull(CONTINUE_WAIT, () -> nextHead(c, url, total));
                if (early != null && early.status() != 100) {
                    c.mustClose = true; // the server still expects the body we will not send
                    return early; // refused (or answered) before the body: the body is never sent
                }
            }
            writeBody(c, body, deadline, total, url);
        }
        return nextFinalHead(c, url, total);
    }

    private void writeBody(PooledConnection c, RequestBody body, double deadline, Duration total, URI url) throws IOException {
        var writer = c.streams.writer();
        boolean chunked = body.length() < 0;
        for (Iterator<byte[]> blocks = body.blocks(); blocks.hasNext(); ) {
            byte[] block = blocks.next();
            if (block.length == 0) {
                continue;
            }
            writer.write(chunked ? HttpEncoder.chunk(block, 0, block.length) : block);
            withDeadline(deadline, total, url, () -> { writer.drain(); return null; });
        }
        if (chunked) {
            writer.write(HttpEncoder.lastChunk());
            withDeadline(deadline, total, url, () -> { writer.drain(); return null; });
        }
    }

    private ResponseHead nextFinalHead(PooledConnection c, URI url, Duration total) throws IOException {
        while (true) {
            ResponseHead head = nextHead(c, url, total);
            if (head == null || head.status() >= 200 || head.status() == 101) {
                return head;
            }
            // 100 Continue, 103 Early Hints: interim, the final response follows.
        }
    }

    /** The next response head, or null for a close before any byte of it. */
    private ResponseHead nextHead(PooledConnection c, URI url, Duration total) throws IOException {
        HttpEvent event;
        try {
            event = c.events.next();
        } catch (TimeoutException e) {
            throw timedOut(url, c);
        } catch (HttpParseException e) {
            throw new MalformedResponseException(url, "invalid response: " + e.getMessage(), e);
        }
        return switch (event) {
            case ResponseHead head -> head;
            case HttpEvent.Closed closed -> null;
            default -> throw new MalformedResponseException(url, "unexpected " + event + " before a response head", null);
        };
    }

    private ClientResponse responseFor(PooledConnection c, URI url, String method, ResponseHead head, List<URI> redirects)
            throws HttpParseException {
        if (cookies != null) {
            List<String> setCookies = head.headers().getAll("Set-Cookie");
            if (!setCookies.isEmpty()) {
                try {
                    cookies.put(url, Map.of("Set-Cookie", setCookies));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.log(System.Logger.Level.DEBUG, "ignored a cookie from {0}: {1}", url, e.getMessage());
                }
            }
        }
        int status = head.status();
        Long length = HttpParser.contentLength(head.headers()); // already validated by the parser: never throws here
        boolean empty = method.equals("HEAD") || status == 204 || status == 304 || status == 101
                || (length != null && length == 0 && !head.headers().contains("Transfer-Encoding"));
        HttpBody body = new HttpBody(c.events, head.headers().get("Content-Type") == null ? HttpBody.DEFAULT_TEXT
                : HttpBody.charsetOf(head.headers(), HttpBody.DEFAULT_TEXT), options.limits().maxBodyBytes(), empty && status != 101);
        if (options.decompress() && !empty) {
            try {
                body.decoder(ContentDecoder.forEncoding(head.headers().get("Content-Encoding"), options.limits().maxBodyBytes()));
            } catch (IOException unsupported) {
                // an encoding we did not ask for: the caller gets the bytes as sent, with the header to say so
            }
        }
        body.errors(failure -> switch (failure) {
            case TimeoutException t -> timedOut(url, c);
            case HttpParseException p -> new MalformedResponseException(url, "invalid response body: " + p.getMessage(), p);
            case HttpClientException h -> h;
            case IOException io -> new MalformedResponseException(url, "connection lost while reading the body: " + io.getMessage(), io);
            default -> new MalformedResponseException(url, failure.toString(), failure);
        });
        boolean reusable = head.keepAlive() && status != 101 && !c.mustClose;
        if (status == 101) {
            pool.release(c, false);
        } else {
            body.onEnd(complete -> pool.release(c, complete && reusable && !c.events.parser().connectionEnds() && !closed));
        }
        return new ClientResponse(url, method, head, body, redirects);
    }

    /** The error for a read that timed out: the total deadline passed, or the server was silent too long. */
    private HttpTimeoutException timedOut(URI url, PooledConnection c) {
        boolean whole = options.readTimeout() == null || loop.time() >= c.events.deadline();
        return new HttpTimeoutException(url, whole ? "request took longer than its total timeout"
                : "no data from the server for " + options.readTimeout(), null);
    }

    // ---------------------------------------------------------------- connecting

    /** DNS (cached for 10 s), TCP to each address in turn, TLS; through the proxy when one is set. */
    private PooledConnection connect(Origin origin) throws IOException {
        URI where = URI.create(origin.toString());
        Duration timeout = options.connectTimeout();
        try {
            Coroutine<PooledConnection> open = () -> openTo(origin, where);
            return timeout == null ? open.call() : Asyncio.timeout(timeout, open);
        } catch (TimeoutException e) {
            throw new HttpConnectException(where, "connect timed out after " + timeout, null);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new HttpConnectException(where, e.toString(), e);
        }
    }

    private PooledConnection openTo(Origin origin, URI where) throws IOException {
        URI proxy = options.proxy();
        String host = proxy != null ? proxy.getHost() : origin.bareHost();
        int port = proxy != null ? (proxy.getPort() < 0 ? 80 : proxy.getPort()) : origin.port();
        TlsOptions tls = origin.tls() ? options.tls().withServerHostname(origin.bareHost()) : null;
        IOException last = null;
        for (InetSocketAddress address : resolve(host, port, where)) {
            StreamPair streams;
            try {
                streams = Net.openConnection(address.getAddress().getHostAddress(), port, proxy != null ? null : tls);
            } catch (SSLException e) {
                throw new HttpTlsException(where, "TLS handshake failed: " + e.getMessage(), e);
            } catch (IOException e) {
                last = e;
                continue; // the next address may answer
            }
            if (proxy != null && tls != null) {
                tunnel(streams, origin, where, tls);
            }
            return new PooledConnection(origin, streams, options.limits());
        }
        throw new HttpConnectException(where, "cannot connect" + (proxy != null ? " to proxy " + proxy : "") + ": "
                + (last == null ? "no address" : last.getMessage()), last);
    }

    private List<InetSocketAddress> resolve(String host, int port, URI where) throws IOException {
        double now = loop.time();
        Resolved cached = dns.get(host);
        if (cached == null || cached.expires() < now) {
            try {
                cached = new Resolved(Net.getAddrInfo(host, 0), now + DNS_TTL_SECONDS);
            } catch (UnknownHostException e) {
                throw new HttpDnsException(where, "cannot resolve host " + host, e);
            }
            dns.put(host, cached);
        }
        List<InetSocketAddress> out = new ArrayList<>(cached.addresses().size());
        for (InetSocketAddress a : cached.addresses()) {
            out.add(new InetSocketAddress(a.getAddress(), port));
        }
        return out;
    }

    /** CONNECT through the proxy, then TLS to the origin inside the tunnel. */
    private void tunnel(StreamPair streams, Origin origin, URI where, TlsOptions tls) throws IOException {
        String authority = origin.hostHeader().contains(":") && !origin.hostHeader().startsWith("[")
                ? origin.hostHeader() : origin.host() + ":" + origin.port();
        try {
            streams.writer().write(HttpEncoder.requestHead("CONNECT", authority, HttpHeaders.of("Host", authority,
                    "User-Agent", options.userAgent())));
            streams.writer().drain();
            HttpParser parser = HttpParser.forResponses(options.limits());
            parser.expectResponseTo("CONNECT");
            HttpEventReader events = new HttpEventReader(streams.reader(), parser, null);
            HttpEvent e = events.next();
            if (!(e instanceof ResponseHead head) || head.status() / 100 != 2) {
                throw new HttpConnectException(where, "proxy " + options.proxy() + " refused the tunnel: "
                        + (e instanceof ResponseHead h ? h.status() + " " + h.reason() : "connection closed"), null);
            }
            streams.writer().startTls(tls, false);
        } catch (SSLException e) {
            streams.writer().transport().abort();
            throw new HttpTlsException(where, "TLS handshake failed through proxy: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            streams.writer().transport().abort();
            throw e;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Runs a wait that only the total deadline bounds, turning its expiry into HttpTimeoutException. */
    private <T> T withDeadline(double deadline, Duration total, URI url, Coroutine<T> body) throws IOException {
        if (deadline == Double.POSITIVE_INFINITY) {
            try {
                return body.call();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
        try {
            return Asyncio.timeoutAt(deadline, body);
        } catch (TimeoutException e) {
            throw new HttpTimeoutException(url, "request took longer than its total timeout of " + total, null);
        }
    }

    private static String originForm(URI url) {
        URI ascii = URI.create(url.toASCIIString());
        String path = ascii.getRawPath();
        String query = ascii.getRawQuery();
        return (path == null || path.isEmpty() ? "/" : path) + (query == null ? "" : "?" + query);
    }

    private static String withoutFragment(URI url) {
        String s = url.toASCIIString();
        int hash = s.indexOf('#');
        return hash < 0 ? s : s.substring(0, hash);
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException("the HttpClient is closed");
        }
        if (Asyncio.getRunningLoop() != loop) {
            throw new IllegalStateException("an HttpClient belongs to the loop that created it; create one per loop");
        }
    }

    /** Closes every idle connection; responses still being read keep theirs until they end, then close it. */
    @Override
    public void close() {
        closed = true;
        pool.close();
    }

    @Override
    public String toString() {
        return "HttpClient[" + pool + (closed ? ", closed" : "") + "]";
    }
}
