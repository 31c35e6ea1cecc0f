package io.jasyncio.http;

import io.jasyncio.Asyncio;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Routes requests by method and path to handlers, through middleware: aiohttp.web's
 * {@code UrlDispatcher} and middleware chain. It is itself a {@link Handler}, the one an
 * {@link HttpServer} usually serves.
 *
 * <pre>{@code
 * Router router = new Router()
 *         .get("/", request -> HttpResponse.text("hello"))
 *         .get("/users/{id}", request -> HttpResponse.json(users.get(request.pathParam("id"))))
 *         .post("/echo", request -> HttpResponse.bytes(request.body().bytes(), "application/octet-stream"))
 *         .staticFiles("/static", Path.of("site"))
 *         .use(authentication);
 * }</pre>
 *
 * <ul>
 * <li>Patterns: see {@link PathPattern}'s syntax: {@code {name}} for a segment, {@code {name:regex}}.
 *     Routes are tried in the order they were added; a literal path is found by lookup.</li>
 * <li>A {@code GET} route answers {@code HEAD} too (the server drops the body).</li>
 * <li>No route for the path: {@code 404}. Routes for the path but not the method: {@code 405} with
 *     {@code Allow}. Both are thrown as {@link HttpStatusException}, so middleware sees them.</li>
 * </ul>
 * Configure it before the server starts; it is then only read (from the server's loop).
 */
public final class Router implements Handler {
    private record Route(String method, PathPattern pattern, Handler handler) {}

    private final Map<String, List<Route>> literal = new HashMap<>();
    private final List<Route> patterned = new ArrayList<>();
    private final List<Middleware> middlewares = new ArrayList<>();
    private Handler chain;

    /** An empty router: every request is a 404 until routes are added. */
    public Router() {}

    public Router get(String pattern, Handler handler) {
        return route("GET", pattern, handler);
    }

    public Router post(String pattern, Handler handler) {
        return route("POST", pattern, handler);
    }

    public Router put(String pattern, Handler handler) {
        return route("PUT", pattern, handler);
    }

    public Router delete(String pattern, Handler handler) {
        return route("DELETE", pattern, handler);
    }

    public Router patch(String pattern, Handler handler) {
        return route("PATCH", pattern, handler);
    }

    /** Adds a route for {@code method} (a token; {@code *} matches every method). */
    public Router route(String method, String pattern, Handler handler) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(method, "method");
        if (!method.equals("*")) {
            for (int i = 0; i < method.length(); i++) {
                if (!HttpHeaders.isTokenChar(method.charAt(i))) {
                    throw new IllegalArgumentException("invalid method: " + method);
                }
            }
        }
        PathPattern p = PathPattern.compile(pattern);
        String m = method.toUpperCase(Locale.ROOT);
        for (Route r : routes(p)) {
            if (r.method().equals(m) && r.pattern().source().equals(p.source())) {
                throw new IllegalArgumentException("a " + m + " route for " + pattern + " exists already");
            }
        }
        Route route = new Route(m, p, handler);
        if (p.isLiteral()) {
            literal.computeIfAbsent(p.source(), k -> new ArrayList<>(2)).add(route);
        } else {
            patterned.add(route);
        }
        return this;
    }

    private List<Route> routes(PathPattern p) {
        return p.isLiteral() ? literal.getOrDefault(p.source(), List.of()) : patterned;
    }

    /** Adds a middleware; the first added is the outermost. */
    public Router use(Middleware middleware) {
        middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        chain = null;
        return this;
    }

    /**
     * Accepts WebSocket connections at {@code pattern} (a GET route): checks the handshake (426 without
     * {@code Upgrade: websocket} or with a version other than 13, 400 for a bad key), answers 101 with
     * {@code Sec-WebSocket-Accept}, then runs {@code handler} on the connection. Default
     * {@link WebSocketOptions}.
     */
    public Router websocket(String pattern, WebSocketHandler handler) {
        return websocket(pattern, WebSocketOptions.defaults(), handler);
    }

    /** {@link #websocket(String, WebSocketHandler)} with a message-size limit and close timeout of its own. */
    public Router websocket(String pattern, WebSocketOptions options, WebSocketHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        return get(pattern, request -> WebSocket.accept(request, options, handler));
    }

    /**
     * Serves the files under {@code root} at {@code prefix} ({@code /static/a/b.css} is {@code root/a/b.css}),
     * with {@code index.html} for a directory. Paths that leave {@code root} (after {@code ..} and symbolic
     * links), hidden files (a segment starting with {@code .}) and anything but regular files answer 404.
     * Files are checked and read off the loop thread.
     */
    public Router staticFiles(String prefix, Path root) {
        Objects.requireNonNull(root, "root");
        String base = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        Path realRoot;
        try {
            realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("static root " + root + " is not readable: " + e.getMessage(), e);
        }
        Handler files = request -> serveFile(realRoot, request.pathParam("file"));
        get(base + "/{file:.*}", files);
        if (!base.isEmpty()) {
            get(base, request -> HttpResponse.redirect(308, base + "/"));
        }
        return this;
    }

    private static HttpResponse serveFile(Path root, String relative) {
        for (String segment : relative.split("/")) {
            if (segment.startsWith(".") || segment.indexOf('\\') >= 0 || segment.indexOf('\0') >= 0) {
                throw new HttpStatusException(404, "Not Found");
            }
        }
        Path found = Asyncio.toThread(() -> {
            Path p = root.resolve(relative).normalize();
            try {
                p = p.toRealPath();
                if (!p.startsWith(root)) {
                    return null;
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isDirectory()) {
                    p = p.resolve("index.html");
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                }
                return a.isRegularFile() && Files.isReadable(p) ? p : null;
            } catch (IOException | java.nio.file.InvalidPathException e) {
                return null;
            }
        });
        if (found == null) {
            throw new HttpStatusException(404, "Not Found");
        }
        return HttpResponse.file(found);
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        Handler c = chain;
        if (c == null) {
            c = this::dispatch;
            for (int i = middlewares.size() - 1; i >= 0; i--) {
                Middleware m = middlewares.get(i);
                Handler next = c;
                c = r -> m.handle(r, next);
            }
            chain = c;
        }
        return c.handle(request);
    }

    private HttpResponse dispatch(HttpRequest request) throws Exception {
        String path = request.path();
        String method = request.method();
        Set<String> allowed = null;
        List<Route> exact = literal.get(path);
        if (exact != null) {
            Route r = pick(exact, method);
            if (r != null) {
                return r.handler().handle(request);
            }
            allowed = addMethods(new LinkedHashSet<>(), exact);
        }
        for (Route r : patterned) {
            Map<String, String> params = r.pattern().match(path);
            if (params == null) {
                continue;
            }
            if (accepts(r, method)) {
                request.pathParams(params);
                return r.handler().handle(request);
            }
            allowed = addMethods(allowed == null ? new LinkedHashSet<>() : allowed, List.of(r));
        }
        if (allowed == null) {
            throw new HttpStatusException(404, "Not Found");
        }
        throw new HttpStatusException(405, "Method Not Allowed", HttpHeaders.of("Allow", String.join(", ", allowed)));
    }

    private static Route pick(List<Route> routes, String method) {
        for (Route r : routes) {
            if (accepts(r, method)) {
                return r;
            }
        }
        return null;
    }

    private static boolean accepts(Route r, String method) {
        return r.method().equals(method) || r.method().equals("*") || (method.equals("HEAD") && r.method().equals("GET"));
    }

    private static Set<String> addMethods(Set<String> into, List<Route> routes) {
        for (Route r : routes) {
            into.add(r.method());
            if (r.method().equals("GET")) {
                into.add("HEAD");
            }
        }
        return into;
    }

    @Override
    public String toString() {
        return "Router[" + (literal.values().stream().mapToInt(List::size).sum() + patterned.size()) + " routes, "
                + middlewares.size() + " middleware]";
    }
}
