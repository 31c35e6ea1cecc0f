package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Coroutine;
import io.jasyncio.Future;
import io.jasyncio.test.StrictLoop;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server against raw sockets: routing, framing, limits, bad input, pipelining, timeouts, resets. */
@Timeout(120)
class HttpServerTest {
    interface ServerBody {
        void run(HttpServer server) throws Exception;
    }

    static void serve(Handler handler, HttpServerOptions options, ServerBody body) {
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            HttpServer server = HttpServer.start(handler, "127.0.0.1", 0, options);
            try {
                body.run(server);
            } finally {
                server.shutdown(Duration.ofSeconds(5));
            }
            return null;
        });
    }

    static void serve(Handler handler, ServerBody body) {
        serve(handler, HttpServerOptions.defaults(), body);
    }

    static Router demoRouter() {
        return new Router()
                .get("/", r -> HttpResponse.text("hello"))
                .get("/users/{id}", r -> HttpResponse.json(java.util.Map.of("id", r.pathParam("id"), "q", r.queryParams())))
                .post("/echo", r -> HttpResponse.bytes(r.body().bytes(), "application/octet-stream"))
                .post("/ignore", r -> HttpResponse.text("ignored"))
                .post("/form", r -> HttpResponse.json(r.form()))
                .post("/count", r -> {
                    long n = 0;
                    for (byte[] piece : r.body()) {
                        n += piece.length;
                    }
                    return HttpResponse.text(Long.toString(n));
                })
                .get("/slow", r -> {
                    Asyncio.sleep(Duration.ofMillis(Long.parseLong(r.queryParam("ms", "10"))));
                    return HttpResponse.text("slow " + r.queryParam("ms"));
                })
                .get("/fail", r -> {
                    throw new IllegalStateException("boom (expected by the test)");
                })
                .get("/teapot", r -> {
                    throw new HttpStatusException(418, "short and stout");
                });
    }

    @Test
    void routesPathAndQueryParameters() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /users/a%20b?x=1+2&x=%C3%A9&y HTTP/1.1\r\nHost: t\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                assertThat(r.text()).contains("\"id\":\"a b\"").contains("\"x\":[\"1 2\",\"é\"]").contains("\"y\":[\"\"]");
                assertThat(r.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
                assertThat(r.header("Server")).isEqualTo("jasyncio");
            }
        });
    }

    @Test
    void urlencodedFormsAreDecodedAndOtherBodiesAre415() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                String form = "name=Ann+Lee&tag=a&tag=%C3%A9&empty=";
                c.send("POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
                        + "Content-Length: " + form.length() + "\r\n\r\n" + form
                        + "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc");
                assertThat(c.read("POST").text()).isEqualTo("{\"name\":[\"Ann Lee\"],\"tag\":[\"a\",\"é\"],\"empty\":[\"\"]}");
                RawHttpClient.Response r = c.read("POST");
                assertThat(r.status()).isEqualTo(415);
                assertThat(r.text()).contains("text/plain");
            }
        });
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405WithAllow() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /nowhere HTTP/1.1\r\nHost: t\r\n\r\nDELETE /echo HTTP/1.1\r\nHost: t\r\n\r\nPUT /users/7 HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(404);
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(405);
                assertThat(r.header("Allow")).isEqualTo("POST");
                r = c.read();
                assertThat(r.status()).isEqualTo(405);
                assertThat(r.header("Allow")).isEqualTo("GET, HEAD");
            }
        });
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /slow?ms=100 HTTP/1.1\r\nHost: t\r\n\r\n"
                        + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
                        + "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n"
                        + "GET /slow?ms=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                assertThat(c.read().text()).isEqualTo("slow 100");
                assertThat(c.read().text()).isEqualTo("abc");
                assertThat(c.read().text()).isEqualTo("def");
                RawHttpClient.Response last = c.read();
                assertThat(last.text()).isEqualTo("slow 1");
                assertThat(last.header("Connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
        });
    }

    @Test
    void headIsAnsweredWithoutBodyAndTheConnectionGoesOn() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("HEAD / HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
                RawHttpClient.Response head = c.read("HEAD");
                assertThat(head.status()).isEqualTo(200);
                assertThat(head.header("Content-Length")).isEqualTo("5");
                assertThat(head.body()).isEmpty();
                assertThat(c.read().text()).isEqualTo("hello");
            }
        });
    }

    @Test
    void handlerExceptionIs500AndStatusExceptionItsStatus() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /fail HTTP/1.1\r\nHost: t\r\n\r\nGET /teapot HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(500);
                assertThat(r.text()).isEqualTo("Internal Server Error").doesNotContain("boom");
                r = c.read();
                assertThat(r.status()).isEqualTo(418);
                assertThat(r.text()).isEqualTo("short and stout");
                assertThat(c.read().text()).isEqualTo("hello"); // the connection survived both
            }
        });
    }

    private static void rejected(HttpServer server, String request, int status) throws Exception {
        try (RawHttpClient c = RawHttpClient.connect(server.port())) {
            c.send(request);
            RawHttpClient.Response r = c.read();
            assertThat(r.status()).as(request).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void badInputGetsTheParsersStatusAndTheConnectionCloses() {
        HttpServerOptions small = HttpServerOptions.defaults().withLimits(new HttpLimits(1024, 2048, 100, 1000));
        serve(demoRouter(), small, server -> {
            rejected(server, "GARBAGE\r\n\r\n", 400);
            rejected(server, "GET / HTTP/1.1\r\n\r\n", 400); // no Host
            rejected(server, "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400);
            rejected(server, "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505);
            rejected(server, "GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + "x".repeat(3000) + "\r\n\r\n", 431);
            rejected(server, "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" + "y".repeat(5000), 413);
            rejected(server, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "z".repeat(1024) + "\r\n0\r\n\r\n", 413);
            rejected(server, "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400);
            // the same through the body's AsyncIterable (its IOExceptions arrive wrapped)
            rejected(server, "POST /count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "z".repeat(1024) + "\r\n0\r\n\r\n", 413);
            rejected(server, "POST /count HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabcde\r\nzz\r\n", 400);
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                // a bad percent-encoding is the request's fault, not the framing's: 400, and the connection goes on
                c.send("GET /users/%zz HTTP/1.1\r\nHost: t\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(400);
                assertThat(c.read().text()).isEqualTo("hello");
            }
        });
    }

    @Test
    void expectContinueIsAnsweredWhenTheHandlerReadsTheBody() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
                assertThat(c.read("POST").status()).isEqualTo(100);
                c.send("hello");
                RawHttpClient.Response r = c.read("POST");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("hello");
            }
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\nExpect: the-moon\r\n\r\nGET / HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(417);
                assertThat(c.read().text()).isEqualTo("hello");
            }
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                // the handler never reads: no 100, the answer, and the connection closes (the body never came)
                c.send("POST /ignore HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
                RawHttpClient.Response r = c.read("POST");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
        });
    }

    @Test
    void unreadSmallBodyIsSkippedAndUnreadLargeBodyClosesTheConnection() {
        serve(demoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("POST /ignore HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n0123456789GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                RawHttpClient.Response r = c.read("POST");
                assertThat(r.text()).isEqualTo("ignored");
                assertThat(r.header("Connection")).isNull();
                assertThat(c.read().text()).isEqualTo("hello");
            }
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                int big = (int) ServerConnection.DISCARD_LIMIT * 4;
                c.send("POST /ignore HTTP/1.1\r\nHost: t\r\nContent-Length: " + big + "\r\n\r\n");
                RawHttpClient.Response r = c.read("POST");
                assertThat(r.text()).isEqualTo("ignored");
                assertThat(r.header("Connection")).isEqualTo("close");
                c.send(new byte[big]); // the lingering close takes it, then the connection ends
                assertThat(c.closedByServer()).isTrue();
            }
        });
    }

    @Test
    void slowHeadGets408() {
        HttpServerOptions opts = HttpServerOptions.defaults().withHeaderTimeout(Duration.ofMillis(300));
        serve(demoRouter(), opts, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET / HTTP/1.1\r\nHo"); // and then nothing: the rest never comes
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(408);
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                // a connection that sends nothing at all is closed without a word
                assertThat(c.readRaw(100)).isEmpty();
            }
        });
    }

    @Test
    void idleKeepAliveConnectionIsClosedAfterItsTimeout() {
        HttpServerOptions opts = HttpServerOptions.defaults().withKeepAliveTimeout(Duration.ofMillis(200));
        serve(demoRouter(), opts, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().text()).isEqualTo("hello");
                assertThat(c.closedByServer()).isTrue();
            }
        });
    }

    @Test
    void stalledBodyGets408AndAnIdleWaitLongerThanTheBodyTimeoutIsSilent() {
        HttpServerOptions opts = HttpServerOptions.defaults().withBodyReadTimeout(Duration.ofMillis(150))
                .withKeepAliveTimeout(Duration.ofMillis(600));
        serve(demoRouter(), opts, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"); // 7 bytes never come
                RawHttpClient.Response r = c.read("POST");
                assertThat(r.status()).isEqualTo(408);
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().text()).isEqualTo("hello");
                // idle for longer than the body timeout: the keep-alive timeout ends it, without a response
                assertThat(c.readRaw(1000)).isEmpty();
            }
        });
    }

    @Test
    void handlerIsCancelledWhenTheClientResets() {
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            Future<String> outcome = Asyncio.getRunningLoop().createFuture();
            Future<Void> started = Asyncio.getRunningLoop().createFuture();
            Router router = new Router().get("/forever", r -> {
                started.setResult(null);
                try {
                    Asyncio.sleep(Duration.ofHours(1));
                    outcome.setResult("finished");
                } catch (CancelledError e) {
                    outcome.setResult("cancelled");
                    throw e;
                }
                return HttpResponse.text("never");
            });
            HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
            try {
                Socket s = Asyncio.toThread(() -> {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
                    socket.getOutputStream().write("GET /forever HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    return socket;
                });
                Asyncio.timeout(Duration.ofSeconds(20), () -> started.await());
                Asyncio.toThread(() -> {
                    s.setSoLinger(true, 0); // close with a reset
                    s.close();
                    return null;
                });
                assertThat(Asyncio.timeout(Duration.ofSeconds(20), () -> outcome.await())).isEqualTo("cancelled");
            } finally {
                server.shutdown(Duration.ofSeconds(5));
            }
            return null;
        });
    }

    @Test
    void streamedResponseToASlowReaderKeepsBufferingBounded() {
        int chunk = 16 * 1024;
        int chunks = 512; // 8 MiB
        long[] maxBuffered = {0};
        Router router = new Router().get("/stream", r -> HttpResponse.stream("application/octet-stream", out -> {
            byte[] data = new byte[chunk];
            for (int i = 0; i < chunks; i++) {
                data[0] = (byte) i;
                out.write(data);
                maxBuffered[0] = Math.max(maxBuffered[0], out.writeBufferSize());
            }
        }));
        serve(router, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
                // read slowly: small reads with pauses, so the server's writes wait on drain
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                HttpParser p = HttpParser.forResponses(HttpLimits.CLIENT_DEFAULTS);
                p.expectResponseTo("GET");
                boolean ended = false;
                ResponseHead head = null;
                for (int reads = 0; !ended; reads++) {
                    HttpEvent e = p.next();
                    if (e == null) {
                        if (reads % 16 == 0) {
                            Asyncio.sleep(0.001);
                        }
                        byte[] b = c.readRaw(8192);
                        if (b.length == 0) {
                            p.feedEof();
                        } else {
                            p.feed(b);
                        }
                        continue;
                    }
                    switch (e) {
                        case ResponseHead h -> head = h;
                        case HttpEvent.BodyChunk b -> all.writeBytes(b.data());
                        case HttpEvent.MessageEnd m -> ended = true;
                        default -> throw new AssertionError(e);
                    }
                }
                assertThat(head.headers().get("Transfer-Encoding")).isEqualTo("chunked");
                assertThat(all.size()).isEqualTo(chunk * chunks);
                assertThat(all.toByteArray()[chunk * 511]).isEqualTo((byte) 511);
            }
        });
        // the write buffer's high-water mark (64 KiB) plus one chunk and its framing, never the whole body
        assertThat(maxBuffered[0]).isLessThanOrEqualTo(64 * 1024 + chunk + 16);
    }

    @Test
    void fileToASlowReaderArrivesWholeAndHeadOfAFileHasItsLength(@TempDir java.nio.file.Path dir) throws Exception {
        byte[] data = new byte[12 * 1024 * 1024 + 5];
        new java.util.Random(9).nextBytes(data);
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("data.bin"), data);
        Router router = new Router().get("/file", r -> HttpResponse.file(file)).get("/gone", r -> HttpResponse.file(dir.resolve("missing")));
        serve(router, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("HEAD /file HTTP/1.1\r\nHost: t\r\n\r\nGET /gone HTTP/1.1\r\nHost: t\r\n\r\nGET /file HTTP/1.1\r\nHost: t\r\n\r\n");
                RawHttpClient.Response head = c.read("HEAD");
                assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(data.length));
                assertThat(head.body()).isEmpty();
                assertThat(c.read().status()).isEqualTo(404);
                // read the file slowly: the server waits for the socket to drain, again and again
                java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
                HttpParser p = HttpParser.forResponses(HttpLimits.CLIENT_DEFAULTS);
                p.expectResponseTo("GET");
                for (int reads = 0; ; reads++) {
                    HttpEvent e = p.next();
                    if (e == null) {
                        if (reads % 32 == 0) {
                            Asyncio.sleep(0.002);
                        }
                        p.feed(c.readRaw(16 * 1024));
                        continue;
                    }
                    if (e instanceof HttpEvent.BodyChunk b) {
                        got.writeBytes(b.data());
                    } else if (e instanceof HttpEvent.MessageEnd) {
                        break;
                    }
                }
                assertThat(got.toByteArray()).isEqualTo(data);
                c.send("GET /file HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"); // the connection is still good
                assertThat(c.read().body()).isEqualTo(data);
            }
        });
    }

    @Test
    void middlewareWrapsRoutesInOrderAndSees404() {
        List<String> seen = new ArrayList<>();
        Router router = demoRouter()
                .use((request, next) -> {
                    seen.add("outer " + request.path());
                    try {
                        return next.handle(request).header("X-Outer", "1");
                    } catch (HttpStatusException e) {
                        return HttpResponse.text(e.status(), "custom " + e.status());
                    }
                })
                .use((request, next) -> {
                    seen.add("inner");
                    return next.handle(request.attribute("user", "ann")).header("X-Inner", "1");
                });
        serve(router, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET / HTTP/1.1\r\nHost: t\r\n\r\nGET /missing HTTP/1.1\r\nHost: t\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.header("X-Outer")).isEqualTo("1");
                assertThat(r.header("X-Inner")).isEqualTo("1");
                r = c.read();
                assertThat(r.status()).isEqualTo(404);
                assertThat(r.text()).isEqualTo("custom 404");
            }
        });
        assertThat(seen).containsExactly("outer /", "inner", "outer /missing", "inner");
    }

    @Test
    void http10GetsCloseDelimitedStreamAndNoKeepAliveByDefault() {
        Router router = new Router().get("/s", r -> HttpResponse.stream("text/plain", out -> {
            out.write("one ");
            out.write("two");
        }));
        serve(router, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /s HTTP/1.0\r\n\r\n");
                RawHttpClient.Response r = c.read();
                assertThat(r.header("Transfer-Encoding")).isNull();
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(r.text()).isEqualTo("one two");
            }
        });
    }
}
