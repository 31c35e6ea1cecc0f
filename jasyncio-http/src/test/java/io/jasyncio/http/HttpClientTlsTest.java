package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasyncio.Asyncio;
import io.jasyncio.test.SelfSignedCertificate;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS against a real openssl s_server, directly and through a CONNECT proxy (peers/proxy_peer.py). */
@Timeout(120)
class HttpClientTlsTest {
    @TempDir
    static Path dir;
    private static SelfSignedCertificate tls;
    private static PeerProcess server;
    private static PeerProcess proxy;
    private static PeerProcess plain;

    @BeforeAll
    static void start() throws Exception {
        tls = SelfSignedCertificate.generate(dir, "localhost", "127.0.0.1");
        Files.writeString(dir.resolve("page.html"), "<html><body>secret page</body></html>");
        server = openSslServer(tls, dir);
        proxy = PeerProcess.python("proxy_peer.py");
        plain = PeerProcess.python("http_server_peer.py");
    }

    @AfterAll
    static void stop() throws Exception {
        for (PeerProcess p : new PeerProcess[] {server, proxy, plain}) {
            if (p != null) {
                p.close();
            }
        }
    }

    /** openssl s_server serving the files of {@code root} (-WWW: HTTP/1.0, one request per connection) on a free port. */
    private static PeerProcess openSslServer(SelfSignedCertificate cert, Path root) throws Exception {
        int port = PeerProcess.freePort();
        return PeerProcess.listening(port, List.of("openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + port,
                "-cert", cert.certificatePem().toString(), "-key", cert.privateKeyPem().toString(), "-WWW"), root);
    }

    private static String httpsUrl(String host) {
        return "https://" + host + ":" + server.port + "/page.html";
    }

    @Test
    void verifiedTlsWithTheRightTrust() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withTls(tls.clientTls()))) {
                for (String host : new String[] {"127.0.0.1", "localhost"}) {
                    ClientResponse r = client.get(httpsUrl(host));
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.text()).contains("secret page");
                }
                assertThat(client.openConnections()).as("HTTP/1.0 without keep-alive: nothing pooled").isZero();
            }
            return null;
        });
    }

    @Test
    void verificationIsOnByDefault() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertThatThrownBy(() -> client.get(httpsUrl("127.0.0.1")))
                        .isInstanceOf(HttpTlsException.class).hasMessageContaining("TLS handshake failed")
                        .hasMessageContaining("https://127.0.0.1:" + server.port);
                assertThat(client.openConnections()).isZero();
            }
            return null;
        });
    }

    @Test
    void aCertificateForAnotherNameIsRefused(@TempDir Path other) {
        Asyncio.run(() -> {
            SelfSignedCertificate elsewhere = SelfSignedCertificate.generate(other, "elsewhere.test");
            try (PeerProcess wrongName = openSslServer(elsewhere, dir);
                 HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withTls(elsewhere.clientTls()))) {
                assertThatThrownBy(() -> client.get("https://127.0.0.1:" + wrongName.port + "/page.html"))
                        .isInstanceOf(HttpTlsException.class);
            }
            return null;
        });
    }

    @Test
    void httpsThroughAConnectProxy() {
        Asyncio.run(() -> {
            URI proxyUrl = URI.create("http://127.0.0.1:" + proxy.port);
            try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withTls(tls.clientTls()).withProxy(proxyUrl))) {
                assertThat(client.get(httpsUrl("localhost")).text()).contains("secret page");
                JsonNode forwarded = client.get(plain.url("/echo")).json(JsonNode.class);
                assertThat(forwarded.get("path").asText()).as("absolute form through the proxy").isEqualTo(plain.url("/echo"));
            }
            try (HttpClient direct = HttpClient.create()) {
                JsonNode stats = direct.get(proxyUrl.resolve("/stats")).json(JsonNode.class);
                assertThat(stats.get("connect").asInt()).isEqualTo(1);
                assertThat(stats.get("forward").asInt()).isEqualTo(1);
            }
            return null;
        });
    }
}
