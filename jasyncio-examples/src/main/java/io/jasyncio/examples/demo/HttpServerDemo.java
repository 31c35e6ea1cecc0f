package io.jasyncio.examples.demo;

import io.jasyncio.Asyncio;
import io.jasyncio.Queue;
import io.jasyncio.QueueFullException;
import io.jasyncio.QueueShutDownException;
import io.jasyncio.Task;
import io.jasyncio.http.HttpRequest;
import io.jasyncio.http.HttpResponse;
import io.jasyncio.http.HttpServer;
import io.jasyncio.http.HttpServerOptions;
import io.jasyncio.http.HttpStatusException;
import io.jasyncio.http.Router;
import io.jasyncio.http.WebSocket;
import io.jasyncio.http.WebSocketMessage;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jasyncio demo http-server}: a small site on one loop. Static files (bundled with the demo, or
 * {@code --root DIR}), {@code POST /echo} returns the request body, {@code GET /slow?ms=N} answers after
 * N ms, and {@code /chat} is a WebSocket chat room that broadcasts every message to everyone connected
 * ({@code /chat.html} is its page). Ctrl-C shuts the server down gracefully.
 *
 * <p>The chat gives each member an outbox (a bounded {@link Queue}) and a writer task, so one slow
 * browser can never hold up a broadcast: a member whose outbox overflows is disconnected with 1008.
 * All state is the loop's: no locks.
 */
public final class HttpServerDemo {
    private static final int OUTBOX = 256;
    private static final long MAX_SLOW_MS = 60_000;

    private record Member(String name, WebSocket ws, Queue<String> outbox) {}

    private final PrintStream out;
    private final Map<WebSocket, Member> members = new LinkedHashMap<>();
    private int guests;

    public HttpServerDemo(PrintStream out) {
        this.out = out;
    }

    /** Serves until cancelled (Ctrl-C), then shuts down with a 5 s grace. {@code root} null: the bundled site. */
    public Void serve(String host, int port, Path root, boolean accessLog) throws Exception {
        HttpServer server = start(host, port, root, accessLog);
        out.println("http server on http://" + host + ":" + server.port() + "/  (chat: /chat.html; Ctrl-C to stop)");
        try {
            Asyncio.sleep(Duration.ofDays(365 * 1000L));
        } finally {
            out.println("shutting down (5 s grace for requests in flight)...");
            Asyncio.shielded(() -> {
                server.shutdown(Duration.ofSeconds(5));
                return null;
            });
        }
        return null;
    }

    /** Starts the demo server (port 0: a free one): for tests and embedding. */
    public HttpServer start(String host, int port, Path root, boolean accessLog) throws IOException {
        return HttpServer.start(router(root == null ? bundledSite() : root), host, port,
                HttpServerOptions.defaults().withAccessLog(accessLog));
    }

    Router router(Path site) {
        return new Router()
                .post("/echo", request -> HttpResponse.bytes(request.body().bytes(),
                        request.header("Content-Type") == null ? "application/octet-stream" : request.header("Content-Type")))
                .get("/slow", HttpServerDemo::slow)
                .websocket("/chat", this::chat)
                .staticFiles("/", site);
    }

    private static HttpResponse slow(HttpRequest request) {
        long ms;
        try {
            ms = Long.parseLong(request.queryParam("ms", "1000"));
        } catch (NumberFormatException e) {
            throw new HttpStatusException(400, "ms must be a whole number of milliseconds");
        }
        if (ms < 0 || ms > MAX_SLOW_MS) {
            throw new HttpStatusException(400, "ms must be between 0 and " + MAX_SLOW_MS);
        }
        Asyncio.sleep(Duration.ofMillis(ms));
        return HttpResponse.text("slept " + ms + " ms\n");
    }

    private void chat(WebSocket ws, HttpRequest request) throws IOException {
        String asked = request.queryParam("name", "").strip();
        String name = asked.isEmpty() ? "guest-" + ++guests : asked.substring(0, Math.min(asked.length(), 32));
        Member me = new Member(name, ws, new Queue<>(OUTBOX));
        Task<Void> writer = Asyncio.createTask("chat-writer " + name, () -> {
            try {
                while (true) {
                    ws.sendText(me.outbox().get());
                }
            } catch (QueueShutDownException | IOException ended) {
                return null;
            }
        });
        members.put(ws, me);
        broadcast("*** " + name + " joined (" + members.size() + " here)");
        try {
            for (WebSocketMessage m : ws) {
                if (m.isText()) {
                    broadcast(name + ": " + m.text());
                }
            }
        } finally {
            members.remove(ws);
            me.outbox().shutdown(true);
            writer.cancel();
            broadcast("*** " + name + " left");
        }
    }

    private void broadcast(String line) {
        for (Member m : new ArrayList<>(members.values())) {
            try {
                m.outbox().putNowait(line);
            } catch (QueueFullException slow) {
                members.remove(m.ws());
                m.outbox().shutdown(true);
                Asyncio.createTask(() -> {
                    m.ws().close(1008, "too slow to keep up with the chat");
                    return null;
                });
            }
        }
    }

    /** The site bundled in the jar (or in target/classes when run from the build). */
    static Path bundledSite() throws IOException {
        java.net.URL url = HttpServerDemo.class.getResource("site/index.html");
        if (url == null) {
            throw new IOException("the bundled site is missing from the class path");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return fs.provider().getPath(uri).getParent();
            }
            return Path.of(uri).getParent();
        } catch (URISyntaxException e) {
            throw new IOException("cannot locate the bundled site: " + url, e);
        }
    }
}
