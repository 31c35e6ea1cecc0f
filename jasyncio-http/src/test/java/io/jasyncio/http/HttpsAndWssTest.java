package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Coroutine;
import io.jasyncio.test.SelfSignedCertificate;
import io.jasyncio.test.StrictLoop;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server over TLS (curl checks the certificate) and wss:// with the WebSocket client. */
@Timeout(120)
class HttpsAndWssTest {
    @TempDir
    static Path dir;
    static SelfSignedCertificate tls;

    @BeforeAll
    static void certificate() throws Exception {
        tls = SelfSignedCertificate.generate(dir, "localhost", "127.0.0.1");
    }

    private static void serveTls(Router router, HttpServerTest.ServerBody body) {
        StrictLoop.run(StrictLoop.realTime(), (Coroutine<Void>) () -> {
            HttpServer server = HttpServer.start(router, "127.0.0.1", 0, HttpServerOptions.defaults(), tls.serverTls());
            try {
                body.run(server);
            } finally {
                server.shutdown(Duration.ofSeconds(5));
            }
            return null;
        });
    }

    @Test
    void curlTalksHttpsWithKeepAlive() {
        assumeTrue(Curl.available(), "curl is needed (.ci/run installs it)");
        Router router = HttpServerTest.demoRouter().get("/pem", r -> HttpResponse.file(tls.certificatePem())); // a file over TLS: sent in blocks
        serveTls(router, server -> {
            String base = "https://localhost:" + server.port();
            Curl.Result r = Curl.run("-v", "--cacert", tls.certificatePem().toString(), "--resolve", "localhost:" + server.port() + ":127.0.0.1",
                    base + "/", base + "/users/7", base + "/pem");
            assertThat(r.exit()).as(r.stderr()).isZero();
            assertThat(r.out()).startsWith("hello").contains("\"id\":\"7\"").endsWith(java.nio.file.Files.readString(tls.certificatePem()));
            assertThat(r.stderr()).containsPattern("Re-?using existing connection");
            Curl.Result range = Curl.run("-r", "10-19", "--cacert", tls.certificatePem().toString(), "--resolve",
                    "localhost:" + server.port() + ":127.0.0.1", base + "/pem"); // a range read off the loop, in blocks
            assertThat(range.out()).isEqualTo(java.nio.file.Files.readString(tls.certificatePem()).substring(10, 20));
        });
    }

    @Test
    void wssEchoesAndTheDefaultTrustRefusesASelfSignedServer() {
        serveTls(WebSocketTest.echoRouter(), server -> {
            URI uri = URI.create("wss://127.0.0.1:" + server.port() + "/echo");
            try (WebSocket ws = WebSocket.connect(uri, WebSocketOptions.defaults().withTls(tls.clientTls()))) {
                ws.sendText("over tls");
                assertThat(ws.receive().text()).isEqualTo("over tls");
            }
            assertThatThrownBy(() -> WebSocket.connect(uri)).isInstanceOf(SSLHandshakeException.class);
        });
    }
}
