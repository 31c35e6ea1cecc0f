package io.jasyncio.http;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request received by an {@link HttpServer}: aiohttp.web's {@code Request}. The head is parsed and
 * checked before a handler sees it; the body is {@link #body()}, read from the socket only as the
 * handler consumes it.
 *
 * <ul>
 * <li>{@link #target()} is the request target as sent ({@code /a%20b?x=1}); {@link #path()} its path,
 *     percent-decoded ({@code /a b}); {@link #rawPath()} undecoded.</li>
 * <li>{@link #queryParam(String)} and {@link #queryParams()}: the query string decoded as a form
 *     ({@code +} is a space), repeated names kept in order.</li>
 * <li>{@link #pathParam(String)}: the {@code {name}} parts of the route that matched, decoded.</li>
 * <li>{@link #attribute(String)}: a place for middleware to leave values for handlers (aiohttp's
 *     {@code request["key"]}).</li>
 * </ul>
 * Malformed percent-encoding answers 400 (an {@link HttpStatusException}) when the path or query is first
 * used. Loop-confined: it belongs to the connection's task.
 */
public final class HttpRequest {
    private final RequestHead head;
    private final InetSocketAddress remoteAddress;
    private final HttpBody body;
    private final String rawPath;
    private final String rawQuery;
    private String path;
    private Map<String, List<String>> query;
    private Map<String, String> pathParams = Map.of();
    private Map<String, Object> attributes;

    HttpRequest(RequestHead head, InetSocketAddress remoteAddress, HttpBody body) {
        this.head = head;
        this.remoteAddress = remoteAddress;
        this.body = body;
        String target = head.target();
        int scheme = target.startsWith("/") ? -1 : target.indexOf("://");
        if (scheme > 0) {
            // absolute form (RFC 9112 §3.2.2): scheme://authority/path?query
            int slash = target.indexOf('/', scheme + 3);
            int query = target.indexOf('?', scheme + 3);
            target = slash >= 0 && (query < 0 || slash < query) ? target.substring(slash)
                    : "/" + (query < 0 ? "" : target.substring(query));
        }
        // the authority form (CONNECT host:port) and the asterisk form (OPTIONS *) stay as they are: no route matches them
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        int q = target.indexOf('?');
        this.rawPath = q < 0 ? target : target.substring(0, q);
        this.rawQuery = q < 0 ? "" : target.substring(q + 1);
    }

    public String method() {
        return head.method();
    }

    /** The request target exactly as sent. */
    public String target() {
        return head.target();
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    public String version() {
        return head.version();
    }

    public HttpHeaders headers() {
        return head.headers();
    }

    /** The first value of the header field, or null. */
    public String header(String name) {
        return head.headers().get(name);
    }

    /** The parsed head (method, target, version, headers, keep-alive). */
    public RequestHead head() {
        return head;
    }

    /** The peer's address. */
    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The body, read as it is consumed; its size is bounded by the server's {@link HttpLimits#maxBodyBytes()} (413 beyond). */
    public HttpBody body() {
        return body;
    }

    /** The path, not decoded. */
    public String rawPath() {
        return rawPath;
    }

    /** The path, percent-decoded as UTF-8. */
    public String path() {
        if (path == null) {
            path = decodePath(rawPath);
        }
        return path;
    }

    /** The query string after {@code ?}, not decoded ({@code ""} if none). */
    public String rawQuery() {
        return rawQuery;
    }

    /** The first value of query parameter {@code name}, or null. */
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.get(0);
    }

    /** The first value of query parameter {@code name}, or {@code fallback}. */
    public String queryParam(String name, String fallback) {
        String v = queryParam(name);
        return v == null ? fallback : v;
    }

    /** Every query parameter, decoded, in order of first appearance; values in order. Unmodifiable. */
    public Map<String, List<String>> queryParams() {
        if (query == null) {
            query = Collections.unmodifiableMap(parseQuery(rawQuery));
        }
        return query;
    }

    /**
     * The body as an HTML form ({@code application/x-www-form-urlencoded}): names and values decoded, in
     * order, like {@link #queryParams()}. Reads the whole body (suspends); multipart forms are not parsed.
     *
     * @throws HttpStatusException 415 if the body is not a urlencoded form, 400 if it is malformed
     * @throws java.io.IOException if reading the body fails (413 over the size limit)
     */
    public Map<String, List<String>> form() throws java.io.IOException {
        String type = header("Content-Type");
        String mime = type == null ? "" : type.split(";", 2)[0].trim();
        if (!mime.equalsIgnoreCase("application/x-www-form-urlencoded")) {
            throw new HttpStatusException(415, "expected an application/x-www-form-urlencoded body, not " + (type == null ? "none" : type));
        }
        return Collections.unmodifiableMap(parseQuery(body.text(StandardCharsets.UTF_8)));
    }

    /** The decoded value of the route's {@code {name}} part, or null. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Every path parameter of the matched route. Unmodifiable. */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    void pathParams(Map<String, String> params) {
        this.pathParams = Collections.unmodifiableMap(params);
    }

    /** A value a middleware attached, or null. */
    @SuppressWarnings("unchecked")
    public <T> T attribute(String key) {
        return attributes == null ? null : (T) attributes.get(key);
    }

    /** Attaches a value for the handlers further down the chain. */
    public HttpRequest attribute(String key, Object value) {
        if (attributes == null) {
            attributes = new HashMap<>();
        }
        attributes.put(key, value);
        return this;
    }

    /** Percent-decodes a path (a {@code +} stays a plus), as UTF-8; 400 if malformed. */
    static String decodePath(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    throw new HttpStatusException(400, "malformed percent-encoding in path: " + raw);
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return params;
    }

    private static String decodeForm(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(400, "malformed percent-encoding in query: " + s);
        }
    }

    @Override
    public String toString() {
        return "HttpRequest[" + head.method() + " " + head.target() + " " + head.version() + " from " + remoteAddress + "]";
    }
}
