package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.Coroutine;
import io.jasyncio.Event;
import io.jasyncio.Future;
import io.jasyncio.test.StrictLoop;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** WebSocket on both sides, our server against our client and against raw bytes. */
@Timeout(120)
class WebSocketTest {
    static Router echoRouter() {
        return new Router()
                .websocket("/echo", (ws, request) -> {
                    for (WebSocketMessage m : ws) {
                        if (m.isText()) {
                            ws.sendText(m.text());
                        } else {
                            ws.sendBinary(m.bytes());
                        }
                    }
                })
                .websocket("/small", WebSocketOptions.defaults().withMaxMessageBytes(1000), (ws, request) -> {
                    for (WebSocketMessage m : ws) {
                        ws.sendText("got " + m.bytes().length);
                    }
                })
                .websocket("/bye", (ws, request) -> ws.close(4000, "see you"))
                .get("/plain", r -> HttpResponse.text("not a websocket"));
    }

    private static URI uri(HttpServer server, String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    @Test
    void textAndBinaryMessagesEchoBothWaysIncludingLargeOnes() {
        HttpServerTest.serve(echoRouter(), server -> {
            try (WebSocket ws = WebSocket.connect(uri(server, "/echo"))) {
                ws.sendText("hello ü €");
                assertThat(ws.receive().text()).isEqualTo("hello ü €");
                byte[] big = new byte[1 << 20];
                new Random(3).nextBytes(big);
                ws.sendBinary(big);
                WebSocketMessage back = ws.receive();
                assertThat(back.isText()).isFalse();
                assertThat(back.bytes()).isEqualTo(big);
                ws.ping("are you there".getBytes(StandardCharsets.UTF_8)); // answered inside the server's receive
                ws.sendText("after ping");
                assertThat(ws.receive().text()).isEqualTo("after ping");
                ws.close();
                assertThat(ws.closeCode()).isEqualTo(1000);
                assertThat(ws.isOpen()).isFalse();
                assertThat(ws.receive()).isNull();
                assertThatThrownBy(() -> ws.sendText("late")).hasMessageContaining("closed");
            }
        });
    }

    @Test
    void subprotocolIsTheServersFirstChoiceAmongThoseOffered() {
        Router router = new Router().websocket("/p", WebSocketOptions.defaults().withProtocols("chat.v2", "chat.v1"),
                (ws, request) -> ws.sendText("protocol " + ws.protocol()));
        HttpServerTest.serve(router, server -> {
            WebSocket both = WebSocket.connect(uri(server, "/p"), WebSocketOptions.defaults().withProtocols("chat.v1", "chat.v2"));
            assertThat(both.protocol()).isEqualTo("chat.v2");
            assertThat(both.receive().text()).isEqualTo("protocol chat.v2");
            both.close();
            WebSocket other = WebSocket.connect(uri(server, "/p"), WebSocketOptions.defaults().withProtocols("mqtt"));
            assertThat(other.protocol()).isNull();
            assertThat(other.receive().text()).isEqualTo("protocol null");
            other.close();
        });
        assertThatThrownBy(() -> WebSocketOptions.defaults().withProtocols("bad name")).hasMessageContaining("token");
    }

    @Test
    void closeGivesUpOnAPeerThatNeverAnswersAndAStalledHandshakeTimesOut() {
        Router router = new Router().websocket("/quit", WebSocketOptions.defaults().withCloseTimeout(Duration.ofMillis(200)),
                (ws, request) -> ws.close(1000, "done"));
        HttpServerTest.serve(router, server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send(HANDSHAKE.replace("/echo", "/quit"));
                assertThat(c.read().status()).isEqualTo(101);
                WebSocketCodec codec = new WebSocketCodec(false, 1 << 20);
                codec.feed(c.takeRemaining());
                WebSocketCodec.Frame close = nextFrame(c, codec);
                assertThat(WebSocketCodec.closeCode(close.payload())).isEqualTo(1000);
                // we never answer the close: the server drops the connection after its close timeout
                assertThat(c.closedByServer()).isTrue();
            }
        });
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            // a server that accepts and never answers the handshake
            io.jasyncio.net.Server silent = io.jasyncio.net.Net.startServer((r, w) -> {
                while (r.read(1024).length > 0) {
                    // swallow
                }
                w.close();
            }, "127.0.0.1", 0);
            try {
                URI u = URI.create("ws://127.0.0.1:" + silent.port() + "/");
                assertThatThrownBy(() -> WebSocket.connect(u, WebSocketOptions.defaults().withHandshakeTimeout(Duration.ofMillis(200))))
                        .isInstanceOf(io.jasyncio.TimeoutException.class);
            } finally {
                silent.close();
                silent.closeClients();
                silent.waitClosed();
            }
            return null;
        });
    }

    @Test
    void serverCloseCodeAndReasonReachTheClient() {
        HttpServerTest.serve(echoRouter(), server -> {
            WebSocket ws = WebSocket.connect(uri(server, "/bye"));
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(4000);
            assertThat(ws.closeReason()).isEqualTo("see you");
        });
    }

    @Test
    void aMessageOverTheLimitClosesWith1009() {
        HttpServerTest.serve(echoRouter(), server -> {
            WebSocket ws = WebSocket.connect(uri(server, "/small"));
            ws.sendBinary(new byte[900]);
            assertThat(ws.receive().text()).isEqualTo("got 900");
            ws.sendBinary(new byte[2000]);
            assertThat(ws.receive()).isNull();
            assertThat(ws.closeCode()).isEqualTo(1009);
        });
    }

    @Test
    void handshakeFailuresAreSpecific() {
        HttpServerTest.serve(echoRouter(), server -> {
            assertThatThrownBy(() -> WebSocket.connect(uri(server, "/plain")))
                    .isInstanceOf(WebSocketHandshakeException.class).hasMessageContaining("answered 200 OK")
                    .satisfies(e -> assertThat(((WebSocketHandshakeException) e).status()).isEqualTo(200));
            assertThatThrownBy(() -> WebSocket.connect(uri(server, "/none")))
                    .isInstanceOf(WebSocketHandshakeException.class).hasMessageContaining("answered 404");
            assertThatThrownBy(() -> WebSocket.connect(URI.create("http://127.0.0.1/x"))).isInstanceOf(IllegalArgumentException.class);
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n"
                        + "GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
                        + "GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: short\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(426);
                RawHttpClient.Response version = c.read();
                assertThat(version.status()).isEqualTo(426);
                assertThat(version.header("Sec-WebSocket-Version")).isEqualTo("13");
                assertThat(c.read().status()).isEqualTo(400);
                c.send("GET /echo HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(400);
            }
        });
    }

    private static final String HANDSHAKE = "GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
            + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    @Test
    void framesSentRightAfterTheHandshakeAreNotLostAndUnmaskedOnesGet1002() {
        HttpServerTest.serve(echoRouter(), server -> {
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                byte[] mask = {1, 2, 3, 4};
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(HANDSHAKE.getBytes(StandardCharsets.ISO_8859_1));
                out.writeBytes(WebSocketCodec.encode(WebSocketCodec.TEXT, true, "early".getBytes(StandardCharsets.UTF_8), mask));
                out.writeBytes(WebSocketCodec.encode(WebSocketCodec.TEXT, true, "unmasked".getBytes(StandardCharsets.UTF_8), null));
                c.send(out.toByteArray());
                RawHttpClient.Response r = c.read();
                assertThat(r.status()).isEqualTo(101);
                assertThat(r.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
                WebSocketCodec client = new WebSocketCodec(false, 1 << 20);
                client.feed(c.takeRemaining());
                WebSocketCodec.Frame echo = nextFrame(c, client);
                assertThat(echo.text()).isEqualTo("early");
                WebSocketCodec.Frame close = nextFrame(c, client);
                assertThat(close.opcode()).isEqualTo(WebSocketCodec.CLOSE);
                assertThat(WebSocketCodec.closeCode(close.payload())).isEqualTo(1002);
                assertThat(c.closedByServer()).isTrue();
            }
        });
    }

    private static WebSocketCodec.Frame nextFrame(RawHttpClient c, WebSocketCodec codec) throws Exception {
        while (true) {
            WebSocketCodec.Frame f = codec.next();
            if (f != null) {
                return f;
            }
            byte[] b = c.readRaw(65536);
            if (b.length == 0) {
                throw new AssertionError("closed before a frame");
            }
            codec.feed(b);
        }
    }

    @Test
    void shutdownClosesOpenWebSocketsWithGoingAway() {
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            Event connected = new Event();
            Router router = new Router().websocket("/wait", (ws, request) -> {
                connected.set();
                while (ws.receive() != null) {
                    // wait for the end
                }
            });
            HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
            WebSocket ws = WebSocket.connect(uri(server, "/wait"));
            Asyncio.timeout(Duration.ofSeconds(20), () -> connected.await());
            Future<Integer> code = Asyncio.createTask(() -> {
                assertThat(ws.receive()).isNull();
                return ws.closeCode();
            });
            server.shutdown(Duration.ofSeconds(10));
            assertThat(Asyncio.timeout(Duration.ofSeconds(20), () -> code.await())).isEqualTo(1001);
            return null;
        });
    }

    @Test
    void concurrentSendersDoNotInterleaveFrames() {
        HttpServerTest.serve(echoRouter(), server -> {
            try (WebSocket ws = WebSocket.connect(uri(server, "/echo"))) {
                int senders = 8;
                int each = 50;
                java.util.List<io.jasyncio.Task<Void>> tasks = new java.util.ArrayList<>();
                for (int s = 0; s < senders; s++) {
                    String tag = "s" + s + ":" + "x".repeat(3000);
                    tasks.add(Asyncio.createTask(() -> {
                        for (int i = 0; i < each; i++) {
                            ws.sendText(tag + i);
                        }
                        return null;
                    }));
                }
                java.util.Map<String, Integer> last = new java.util.HashMap<>();
                for (int n = 0; n < senders * each; n++) {
                    String t = ws.receive().text();
                    String sender = t.substring(0, t.indexOf(':'));
                    int i = Integer.parseInt(t.substring(t.lastIndexOf('x') + 1));
                    assertThat(i).isEqualTo(last.getOrDefault(sender, -1) + 1); // each sender's messages in order, whole
                    last.put(sender, i);
                }
                for (io.jasyncio.Task<Void> t : tasks) {
                    t.await();
                }
            }
        });
    }
}
