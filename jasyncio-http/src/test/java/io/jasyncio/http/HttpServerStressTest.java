package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Many clients at once on one loop: keep-alive connections pipelining random mixes of framings (none,
 * Content-Length, chunked, HEAD), interleaved with connections that send mutated garbage. Every good
 * request gets its own answer in order, every bad connection gets an error status or a close, and the
 * server serves on. Seeded, scaled by {@code -Djasyncio.test.stress=N} (default 1).
 */
@Timeout(120)
class HttpServerStressTest {
    private static final int SCALE = Integer.getInteger("jasyncio.test.stress", 1);
    private static final int CLIENTS = 24 * SCALE;
    private static final int REQUESTS = 30;

    private static String randomBody(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(5000);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    private static String request(Random rnd, int i, String body) {
        return switch (rnd.nextInt(4)) {
            case 0 -> "GET /n/" + i + " HTTP/1.1\r\nHost: t\r\n\r\n";
            case 1 -> "HEAD /n/" + i + " HTTP/1.1\r\nHost: t\r\n\r\n";
            case 2 -> "POST /echo/" + i + " HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
            default -> {
                StringBuilder sb = new StringBuilder("POST /echo/" + i + " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
                for (int at = 0; at < body.length(); ) {
                    int len = Math.min(body.length() - at, 1 + rnd.nextInt(700));
                    sb.append(Integer.toHexString(len)).append("\r\n").append(body, at, at + len).append("\r\n");
                    at += len;
                }
                yield sb.append("0\r\n\r\n").toString();
            }
        };
    }

    @Test
    void pipelinedMixesAndGarbageFromManyClientsAtOnce() {
        Router router = new Router()
                .get("/n/{i}", r -> HttpResponse.text("n" + r.pathParam("i")))
                .post("/echo/{i}", r -> HttpResponse.text(r.pathParam("i") + ":" + r.body().text()));
        HttpServerTest.serve(router, server -> {
            List<Task<Integer>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                long seed = 1000 + c;
                boolean garbage = c % 4 == 3;
                clients.add(Asyncio.createTask(() -> garbage ? garbage(server.port(), seed) : goodClient(server.port(), seed)));
            }
            int answered = 0;
            for (Task<Integer> t : clients) {
                answered += t.await();
            }
            assertThat(answered).isEqualTo(CLIENTS / 4 * 3 * REQUESTS);
            try (RawHttpClient c = RawHttpClient.connect(server.port())) { // and still serving
                c.send("GET /n/0 HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().text()).isEqualTo("n0");
            }
        });
    }

    private static int goodClient(int port, long seed) throws Exception {
        Random rnd = new Random(seed);
        List<String> methods = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < REQUESTS; i++) {
            String body = randomBody(rnd);
            String req = request(rnd, i, body);
            String method = req.substring(0, req.indexOf(' '));
            methods.add(method);
            expected.add(method.equals("POST") ? i + ":" + body : method.equals("HEAD") ? "" : "n" + i);
            all.append(req);
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.UTF_8);
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            // send in random slices, so heads and bodies straddle reads
            for (int at = 0; at < bytes.length; ) {
                int len = Math.min(bytes.length - at, 1 + rnd.nextInt(3000));
                c.send(java.util.Arrays.copyOfRange(bytes, at, at + len));
                at += len;
                if (rnd.nextInt(4) == 0) {
                    Asyncio.yieldNow();
                }
            }
            for (int i = 0; i < REQUESTS; i++) {
                RawHttpClient.Response r = c.read(methods.get(i));
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo(expected.get(i));
            }
        }
        return REQUESTS;
    }

    /** A valid pipeline with a few bytes mutated: the server answers what it can, then an error or a close. */
    private static int garbage(int port, long seed) throws Exception {
        Random rnd = new Random(seed);
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            all.append(request(rnd, i, randomBody(rnd)));
        }
        byte[] bytes = all.toString().getBytes(StandardCharsets.ISO_8859_1);
        for (int m = 0; m < 3; m++) {
            bytes[rnd.nextInt(Math.min(bytes.length, 200))] = (byte) rnd.nextInt(256);
        }
        try (RawHttpClient c = RawHttpClient.connect(port)) {
            c.send(bytes);
            c.streams().writer().writeEof();
            // whatever comes back, the server must end the conversation within the bound, never hang
            assertThat(c.closedByServer()).isTrue();
        }
        return 0;
    }
}
