package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server against the real curl: keep-alive, chunked uploads, HTTP/1.0, static files. */
@Timeout(120)
class HttpServerCurlTest {
    @BeforeAll
    static void needsCurl() {
        assumeTrue(Curl.available(), "curl is needed (.ci/run installs it)");
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void keepAliveReusesOneConnectionForTwoRequests() {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        Router router = new Router().get("/n/{n}", r -> {
            clientPorts.add(r.remoteAddress().getPort());
            return HttpResponse.text("n=" + r.pathParam("n") + "\n");
        });
        HttpServerTest.serve(router, server -> {
            String base = "http://127.0.0.1:" + server.port();
            Curl.Result r = Curl.run("-v", base + "/n/1", base + "/n/2");
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.out()).isEqualTo("n=1\nn=2\n");
            assertThat(r.stderr()).containsPattern("Re-?using existing connection");
        });
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void chunkedUploadIsEchoed(@TempDir Path dir) throws Exception {
        byte[] data = random(300_000, 1);
        Path in = dir.resolve("in.bin");
        Path out = dir.resolve("out.bin");
        Files.write(in, data);
        Router router = new Router().post("/echo", r -> {
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            return HttpResponse.bytes(r.body().bytes(), "application/octet-stream");
        });
        HttpServerTest.serve(router, server -> {
            Curl.Result r = Curl.run("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + in, "-o", out.toString(),
                    "http://127.0.0.1:" + server.port() + "/echo");
            assertThat(r.exit()).as(r.stderr()).isZero();
        });
        assertThat(Files.readAllBytes(out)).isEqualTo(data);
    }

    @Test
    void largeUploadIsStreamedToTheHandlerChunkByChunk(@TempDir Path dir) throws Exception {
        byte[] data = random(5 * 1024 * 1024, 4);
        Path in = dir.resolve("big.bin");
        Files.write(in, data);
        long[] largestPiece = {0};
        HttpServerOptions opts = HttpServerOptions.defaults().withLimits(HttpLimits.SERVER_DEFAULTS.withMaxBodyBytes(16 << 20));
        Router router = new Router().post("/count", r -> {
            long total = 0;
            long sum = 0;
            for (byte[] piece : r.body()) { // read off the socket as consumed: never the whole body in memory
                total += piece.length;
                largestPiece[0] = Math.max(largestPiece[0], piece.length);
                for (byte b : piece) sum += b & 0xff;
            }
            return HttpResponse.text(total + " " + sum);
        });
        long expectedSum = 0;
        for (byte b : data) expectedSum += b & 0xff;
        long sum = expectedSum;
        HttpServerTest.serve(router, opts, server -> {
            Curl.Result r = Curl.run("-H", "Transfer-Encoding: chunked", "--data-binary", "@" + in, "http://127.0.0.1:" + server.port() + "/count");
            assertThat(r.out()).isEqualTo(data.length + " " + sum);
        });
        assertThat(largestPiece[0]).isLessThanOrEqualTo(HttpEventReader.READ_SIZE);
    }

    @Test
    void uploadOverTheLimitGets413() {
        HttpServerOptions opts = HttpServerOptions.defaults().withLimits(HttpLimits.SERVER_DEFAULTS.withMaxBodyBytes(10_000));
        Router router = new Router().post("/echo", r -> HttpResponse.bytes(r.body().bytes(), "application/octet-stream"));
        HttpServerTest.serve(router, opts, server -> {
            Curl.Result r = Curl.run("-o", "/dev/null", "-w", "%{http_code}", "-H", "Transfer-Encoding: chunked",
                    "--data-binary", "x".repeat(50_000), "http://127.0.0.1:" + server.port() + "/echo");
            assertThat(r.out()).isEqualTo("413");
        });
    }

    @Test
    void http10ClientGetsAnHttp11ResponseThatCloses() {
        HttpServerTest.serve(HttpServerTest.demoRouter(), server -> {
            Curl.Result r = Curl.run("--http1.0", "-i", "http://127.0.0.1:" + server.port() + "/");
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.out()).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n").contains("Content-Length: 5\r\n")
                    .endsWith("\r\n\r\nhello");
        });
    }

    @Test
    void staticFilesIncludingALargeOneAndNoEscape(@TempDir Path dir) throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<h1>home</h1>");
        Files.createDirectories(site.resolve("css"));
        Files.writeString(site.resolve("css/a.css"), "body{}");
        Files.writeString(site.resolve(".secret"), "hidden");
        Files.writeString(dir.resolve("outside.txt"), "outside");
        Files.createSymbolicLink(site.resolve("link.txt"), dir.resolve("outside.txt")); // points out of the root
        byte[] big = random(6 * 1024 * 1024 + 17, 2);
        Files.write(site.resolve("big.bin"), big);
        Path got = dir.resolve("got.bin");
        Router router = new Router().staticFiles("/static", site);
        HttpServerTest.serve(router, server -> {
            String base = "http://127.0.0.1:" + server.port() + "/static";
            Curl.Result r = Curl.run("-o", got.toString(), "-w", "%{http_code} %{content_type}", base + "/big.bin");
            assertThat(r.out()).isEqualTo("200 application/octet-stream");
            r = Curl.run("-i", base + "/css/a.css");
            assertThat(r.out()).contains("Content-Type: text/css; charset=utf-8").endsWith("body{}");
            assertThat(Curl.run(base + "/").out()).isEqualTo("<h1>home</h1>");
            assertThat(Curl.run("-o", "/dev/null", "-w", "%{http_code}", base + "/missing").out()).isEqualTo("404");
            assertThat(Curl.run("-o", "/dev/null", "-w", "%{http_code}", base + "/.secret").out()).isEqualTo("404");
            assertThat(Curl.run("-o", "/dev/null", "-w", "%{http_code}", base + "/link.txt").out()).isEqualTo("404");
            try (RawHttpClient c = RawHttpClient.connect(server.port())) {
                c.send("GET /static/../outside.txt HTTP/1.1\r\nHost: t\r\n\r\nGET /static/%2e%2e/outside.txt HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(404);
                assertThat(c.read().status()).isEqualTo(404);
            }
        });
        assertThat(Files.readAllBytes(got)).isEqualTo(big);
    }

    @Test
    void staticFilesAnswerRangesResumesAndConditionalRequests(@TempDir Path dir) throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        byte[] data = random(100_000, 3);
        Files.write(site.resolve("data.bin"), data);
        Path part = dir.resolve("part.bin");
        Path resumed = dir.resolve("resumed.bin");
        Files.write(resumed, java.util.Arrays.copyOf(data, 30_000)); // an interrupted download
        Path etags = dir.resolve("etag.txt");
        HttpServerTest.serve(new Router().staticFiles("/static", site), server -> {
            String url = "http://127.0.0.1:" + server.port() + "/static/data.bin";
            assertThat(Curl.run("-r", "1000-1999", "-o", part.toString(), "-w", "%{http_code}", url).out()).isEqualTo("206");
            assertThat(Files.readAllBytes(part)).isEqualTo(java.util.Arrays.copyOfRange(data, 1000, 2000));
            assertThat(Curl.run("-C", "-", "-o", resumed.toString(), "-w", "%{http_code}", url).out()).isEqualTo("206");
            assertThat(Files.readAllBytes(resumed)).isEqualTo(data);
            assertThat(Curl.run("--etag-save", etags.toString(), "-o", "/dev/null", "-w", "%{http_code}", url).out()).isEqualTo("200");
            assertThat(Curl.run("--etag-compare", etags.toString(), "-o", "/dev/null", "-w", "%{http_code}", url).out()).isEqualTo("304");
            try (RawHttpClient c = RawHttpClient.connect(server.port())) { // one keep-alive connection: every answer is framed right
                String etag = c.send("HEAD /static/data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\n\r\n").read("HEAD").header("ETag");
                RawHttpClient.Response r = c.send("GET /static/data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=-10\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(206);
                assertThat(r.header("Content-Range")).isEqualTo("bytes 99990-99999/100000");
                assertThat(r.body()).isEqualTo(java.util.Arrays.copyOfRange(data, 99_990, 100_000));
                r = c.send("GET /static/data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=100000-\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(416);
                assertThat(r.header("Content-Range")).isEqualTo("bytes */100000");
                r = c.send("GET /static/data.bin HTTP/1.1\r\nHost: t\r\nIf-None-Match: " + etag + "\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(304);
                assertThat(r.body()).isEmpty();
                assertThat(r.header("ETag")).isEqualTo(etag);
                r = c.send("GET /static/data.bin HTTP/1.1\r\nHost: t\r\nIf-Modified-Since: " + r.header("Last-Modified") + "\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(304);
                r = c.send("GET /static/data.bin HTTP/1.1\r\nHost: t\r\nIf-Match: \"stale\"\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(412);
                r = c.send("GET /static/data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-1,5-9\r\n\r\n").read();
                assertThat(r.status()).as("several ranges: the whole file (no multipart/byteranges)").isEqualTo(200);
                assertThat(r.body()).isEqualTo(data);
                r = c.send("GET /static/data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=0-9\r\nIf-Range: \"stale\"\r\n\r\n").read();
                assertThat(r.status()).as("If-Range names an old version: the whole file").isEqualTo(200);
                assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
            }
        });
    }
}
