package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.TaskGroup;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** jasyncio's client against jasyncio's server, both on one loop. */
@Timeout(60)
class ClientServerTest {
    @Test
    void manyRequestsShareFewConnections() {
        Asyncio.run(() -> {
            Set<String> peers = new HashSet<>();
            Router router = new Router().get("/who", req -> {
                peers.add(req.remoteAddress().toString());
                return HttpResponse.text("ok");
            });
            try (HttpServer server = HttpServer.start(router, "127.0.0.1", 0);
                 HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withMaxConnectionsPerHost(4))) {
                String url = "http://127.0.0.1:" + server.port() + "/who";
                try (TaskGroup tg = new TaskGroup()) {
                    for (int t = 0; t < 16; t++) {
                        tg.createTask(() -> {
                            for (int i = 0; i < 25; i++) {
                                assertThat(client.get(url).text()).isEqualTo("ok");
                            }
                            return null;
                        });
                    }
                }
                assertThat(peers).as("400 requests over at most 4 keep-alive connections").hasSizeBetween(1, 4);
            }
            return null;
        });
    }

    /** The server refuses a large upload before reading it: the client never sends the body, and does not reuse the connection. */
    @Test
    void expectContinueRefusedSavesTheBody() {
        Asyncio.run(() -> {
            AtomicInteger bodiesRead = new AtomicInteger();
            Router router = new Router().post("/upload", req -> {
                if (Long.parseLong(req.header("Content-Length")) > 1000) {
                    return HttpResponse.text(413, "too big");
                }
                bodiesRead.incrementAndGet();
                return HttpResponse.text("stored " + req.body().bytes().length);
            });
            try (HttpServer server = HttpServer.start(router, "127.0.0.1", 0); HttpClient client = HttpClient.create()) {
                String url = "http://127.0.0.1:" + server.port() + "/upload";
                ClientResponse refused = client.request("POST", url).body(RequestBody.of(new byte[500_000], null)).expectContinue().send();
                assertThat(refused.status()).isEqualTo(413);
                assertThat(refused.text()).isEqualTo("too big");
                assertThat(client.openConnections()).as("out of step with the server: not pooled").isZero();
                ClientResponse small = client.request("POST", url).body(RequestBody.ofText("tiny")).expectContinue().send();
                assertThat(small.text()).isEqualTo("stored 4");
                assertThat(bodiesRead.get()).isEqualTo(1);
            }
            return null;
        });
    }

    /** A streamed response read slowly: the server waits on drain (backpressure), every byte arrives. */
    @Test
    void aSlowReaderOfAStreamedResponse() {
        Asyncio.run(() -> {
            byte[] block = new byte[64 * 1024];
            Router router = new Router().get("/stream", req -> HttpResponse.stream("application/octet-stream", out -> {
                for (int i = 0; i < 64; i++) {
                    out.write(block);
                }
            }));
            try (HttpServer server = HttpServer.start(router, "127.0.0.1", 0); HttpClient client = HttpClient.create()) {
                ClientResponse r = client.get("http://127.0.0.1:" + server.port() + "/stream");
                long total = 0;
                for (byte[] chunk : r.body()) {
                    total += chunk.length;
                    Asyncio.sleep(0.001);
                }
                assertThat(total).isEqualTo(64L * block.length);
                assertThat(client.idleConnections()).isEqualTo(1);
            }
            return null;
        });
    }
}
