package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.TaskGroup;
import io.jasyncio.TimeoutException;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real server: Python's http.server (peers/http_server_peer.py). */
@Timeout(120)
class HttpClientTest {
    private static PeerProcess peer;

    @BeforeAll
    static void startPeer() throws Exception {
        peer = PeerProcess.python("http_server_peer.py");
    }

    @AfterAll
    static void stopPeer() throws Exception {
        if (peer != null) {
            peer.close();
        }
    }

    private static String url(String path) {
        return peer.url(path);
    }

    private static final ClientOptions FAST_RETRY = ClientOptions.DEFAULTS
            .withRetry(RetryPolicy.attempts(3).withBackoff(Duration.ofMillis(1), Duration.ofMillis(20)));

    @Test
    void keepAliveReusesOneConnection() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                List<String> clients = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    clients.add(client.get(url("/echo")).json(JsonNode.class).get("client").asText());
                }
                assertThat(clients).as("one client port for all requests").containsOnly(clients.get(0));
                assertThat(client.openConnections()).isEqualTo(1);
                assertThat(client.idleConnections()).isEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void framingsAndCharsets() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertThat(client.get(url("/hello")).text()).isEqualTo("hello");
                ClientResponse chunked = client.get(url("/chunked"));
                assertThat(chunked.text()).isEqualTo("one,two,three");
                assertThat(chunked.body().trailers().get("X-Trailer")).isEqualTo("yes");
                assertThat(client.get(url("/utf8")).text()).isEqualTo("h\u00e9llo \u20ac");
                ClientResponse head = client.head(url("/hello"));
                assertThat(head.header("Content-Length")).isEqualTo("5");
                assertThat(head.bytes()).isEmpty();
                assertThat(client.get(url("/hello")).text()).as("the connection survives HEAD").isEqualTo("hello");
                assertThat(client.openConnections()).isEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void compressedBodiesAreDecodedAsTheyStream() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertThat(client.get(url("/gzip")).text()).isEqualTo("zipped ".repeat(1000));
                assertThat(client.get(url("/deflate")).text()).isEqualTo("deflated ".repeat(1000));
                JsonNode echo = client.get(url("/echo")).json(JsonNode.class);
                assertThat(echo.get("headers").get("Accept-Encoding").asText()).isEqualTo("gzip, deflate");
            }
            try (HttpClient raw = HttpClient.create(ClientOptions.DEFAULTS.withDecompress(false))) {
                byte[] bytes = raw.get(url("/gzip")).bytes();
                assertThat(bytes[0] & 0xff).isEqualTo(0x1f);
            }
            return null;
        });
    }

    @Test
    void largeBodiesStreamInChunks() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse r = client.get(url("/big?n=5000000"));
                long total = 0;
                int chunks = 0;
                for (byte[] chunk : r.body()) {
                    total += chunk.length;
                    chunks++;
                    assertThat(chunk.length).isLessThanOrEqualTo(HttpEventReader.READ_SIZE);
                }
                assertThat(total).isEqualTo(5_000_000);
                assertThat(chunks).isGreaterThan(5_000_000 / HttpEventReader.READ_SIZE);
                assertThat(client.idleConnections()).isEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void uploadsBytesJsonFilesAndStreams(@TempDir Path dir) {
        Asyncio.run(() -> {
            Path file = dir.resolve("upload.bin");
            Files.write(file, "f".repeat(300_000).getBytes(StandardCharsets.UTF_8));
            try (HttpClient client = HttpClient.create()) {
                JsonNode json = client.post(url("/echo"), RequestBody.ofJson(Map.of("name", "jasyncio"))).json(JsonNode.class);
                assertThat(json.get("body").asText()).isEqualTo("{\"name\":\"jasyncio\"}");
                assertThat(json.get("headers").get("Content-Type").asText()).isEqualTo("application/json");
                JsonNode fromFile = client.put(url("/echo"), RequestBody.ofFile(file, null)).json(JsonNode.class);
                assertThat(fromFile.get("body").asText()).hasSize(300_000);
                JsonNode streamed = client.post(url("/echo"), RequestBody.ofStream(List.of("a".getBytes(), "bc".getBytes()), "text/plain"))
                        .json(JsonNode.class);
                assertThat(streamed.get("headers").get("Transfer-Encoding").asText()).isEqualTo("chunked");
                assertThat(streamed.get("body").asText()).isEqualTo("abc");
                JsonNode form = client.post(url("/echo"), RequestBody.ofForm("q", "a b&c")).json(JsonNode.class);
                assertThat(form.get("body").asText()).isEqualTo("q=a+b%26c");
                JsonNode continued = client.request("POST", url("/echo")).body(RequestBody.ofText("after 100")).expectContinue().send()
                        .json(JsonNode.class);
                assertThat(continued.get("body").asText()).isEqualTo("after 100");
                assertThat(continued.get("headers").get("Expect").asText()).isEqualTo("100-continue");
            }
            return null;
        });
    }

    record Echo(String method, String path, String body) {}

    @Test
    void jsonMapsToRecords() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                Echo echo = client.request("DELETE", url("/echo?x=1")).send().json(Echo.class);
                assertThat(echo).isEqualTo(new Echo("DELETE", "/echo?x=1", ""));
            }
            return null;
        });
    }

    @Test
    void redirectsFollowTheMethodRules() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse chain = client.get(url("/redirect?n=3&code=302"));
                assertThat(chain.json(Echo.class).path()).isEqualTo("/echo");
                assertThat(chain.redirects()).hasSize(3);
                Echo seeOther = client.post(url("/redirect?code=303"), RequestBody.ofText("data")).json(Echo.class);
                assertThat(seeOther.method()).isEqualTo("GET");
                assertThat(seeOther.body()).isEmpty();
                Echo found = client.post(url("/redirect?code=302"), RequestBody.ofText("data")).json(Echo.class);
                assertThat(found.method()).isEqualTo("GET");
                Echo temporary = client.post(url("/redirect?code=307"), RequestBody.ofText("data")).json(Echo.class);
                assertThat(temporary).isEqualTo(new Echo("POST", "/echo", "data"));
                Echo permanent = client.put(url("/redirect?code=308"), RequestBody.ofText("put")).json(Echo.class);
                assertThat(permanent).isEqualTo(new Echo("PUT", "/echo", "put"));
                assertThat(client.openConnections()).as("redirect hops reuse the connection").isEqualTo(1);
            }
            try (HttpClient noFollow = HttpClient.create(ClientOptions.DEFAULTS.withFollowRedirects(false))) {
                ClientResponse r = noFollow.get(url("/redirect?code=301"));
                assertThat(r.status()).isEqualTo(301);
                assertThat(r.header("Location")).isEqualTo("/echo");
                r.close();
            }
            return null;
        });
    }

    @Test
    void tooManyRedirectsNamesTheUrl() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withMaxRedirects(2))) {
                assertThatThrownBy(() -> client.get(url("/redirect?n=5")))
                        .isInstanceOf(TooManyRedirectsException.class)
                        .hasMessageContaining("more than 2 redirects").hasMessageContaining("/redirect?n=3");
                assertThat(client.openConnections()).isLessThanOrEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void credentialsAreDroppedAcrossOrigins() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                String sameOrigin = url("/redirect?code=302");
                JsonNode same = client.request("GET", sameOrigin).header("Authorization", "Bearer secret").send().json(JsonNode.class);
                assertThat(same.get("headers").get("Authorization").asText()).isEqualTo("Bearer secret");
                String other = "http://localhost:" + peer.port + "/echo"; // another host name: another origin
                JsonNode cross = client.request("GET", url("/redirect?code=302&to=" + java.net.URLEncoder.encode(other, StandardCharsets.UTF_8)))
                        .header("Authorization", "Bearer secret").send().json(JsonNode.class);
                assertThat(cross.get("headers").has("Authorization")).isFalse();
            }
            return null;
        });
    }

    @Test
    void cookiesComeBack() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                client.get(url("/cookie/set")).bytes();
                String cookie = client.get(url("/echo")).json(JsonNode.class).get("headers").get("Cookie").asText();
                assertThat(cookie).contains("session=abc123").contains("theme=dark");
            }
            try (HttpClient noJar = HttpClient.create(ClientOptions.DEFAULTS.withCookies(false))) {
                noJar.get(url("/cookie/set")).bytes();
                assertThat(noJar.get(url("/echo")).json(JsonNode.class).get("headers").has("Cookie")).isFalse();
            }
            return null;
        });
    }

    @Test
    void retriesIdempotentRequestsOnly() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create(FAST_RETRY)) {
                assertThat(client.get(url("/flaky?key=get&fail=2")).text()).isEqualTo("ok after 3");
                ClientResponse gaveUp = client.get(url("/flaky?key=get5&fail=5"));
                assertThat(gaveUp.status()).isEqualTo(503);
                gaveUp.close();
                assertThat(client.get(url("/count?key=get5")).text()).as("3 attempts in all").isEqualTo("3");
                ClientResponse post = client.post(url("/flaky?key=post&fail=1"), RequestBody.ofText("x"));
                assertThat(post.status()).isEqualTo(503);
                post.close();
                assertThat(client.get(url("/count?key=post")).text()).as("a POST is never retried").isEqualTo("1");
            }
            try (HttpClient noRetry = HttpClient.create()) {
                assertThat(noRetry.get(url("/flaky?key=none&fail=1")).status()).isEqualTo(503);
            }
            return null;
        });
    }

    @Test
    void raiseForStatusCarriesStatusUrlAndBody() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertThatThrownBy(() -> client.get(url("/status?code=404")).raiseForStatus())
                        .isInstanceOf(ClientResponseException.class)
                        .hasMessageContaining("HTTP 404").hasMessageContaining("/status?code=404")
                        .satisfies(e -> assertThat(((ClientResponseException) e).bodyStart()).isEqualTo("status body"));
                assertThat(client.get(url("/hello")).raiseForStatus().text()).isEqualTo("hello");
            }
            return null;
        });
    }

    @Test
    void readTimeoutsRaiseHttpTimeoutException() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withReadTimeout(Duration.ofMillis(300)))) {
                assertThatThrownBy(() -> client.get(url("/slow?ms=5000")))
                        .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("no data from the server");
                ClientResponse stalled = client.get(url("/stall"));
                assertThatThrownBy(stalled::bytes).isInstanceOf(HttpTimeoutException.class).hasMessageContaining("/stall");
                assertThat(client.openConnections()).as("timed-out connections are discarded").isZero();
            }
            try (HttpClient client = HttpClient.create()) {
                assertThatThrownBy(() -> client.request("GET", url("/slow?ms=5000")).timeout(Duration.ofMillis(300)).send())
                        .isInstanceOf(HttpTimeoutException.class).hasMessageContaining("total timeout");
                assertThat(client.openConnections()).isZero();
            }
            return null;
        });
    }

    @Test
    void anEnclosingTimeoutScopeAbortsTheRequest() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertThatThrownBy(() -> Asyncio.timeout(Duration.ofMillis(300), () -> client.get(url("/slow?ms=5000"))))
                        .isInstanceOf(TimeoutException.class); // the scope's own, not the client's
                assertThat(client.openConnections()).isZero();
                ClientResponse stalled = client.get(url("/stall"));
                assertThatThrownBy(() -> Asyncio.timeout(Duration.ofMillis(300), stalled::bytes)).isInstanceOf(TimeoutException.class);
                assertThat(client.openConnections()).isZero();
                assertThat(client.get(url("/hello")).text()).as("the client works on").isEqualTo("hello");
            }
            return null;
        });
    }

    @Test
    void cancellingTheTaskAbortsTheRequest() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                Task<String> slow = Asyncio.createTask(() -> client.get(url("/slow?ms=5000")).text());
                Asyncio.sleep(0.2);
                assertThat(client.openConnections()).isEqualTo(1);
                slow.cancel();
                assertThatThrownBy(() -> Asyncio.await(slow)).isInstanceOf(CancelledError.class);
                assertThat(client.openConnections()).isZero();
            }
            return null;
        });
    }

    @Test
    void limitsPerHostAreKeptUnderConcurrency() {
        Asyncio.run(() -> {
            AtomicInteger maxOpen = new AtomicInteger();
            try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withMaxConnectionsPerHost(2))) {
                try (TaskGroup tg = new TaskGroup()) {
                    for (int i = 0; i < 10; i++) {
                        tg.createTask(() -> {
                            ClientResponse r = client.get(url("/slow?ms=50"));
                            maxOpen.accumulateAndGet(client.openConnections(), Math::max);
                            return r.text();
                        });
                    }
                }
                assertThat(maxOpen.get()).isEqualTo(2);
                assertThat(client.openConnections()).isLessThanOrEqualTo(2);
            }
            return null;
        });
    }

    @Test
    void aHalfReadResponseNeverReturnsToThePool() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                ClientResponse big = client.get(url("/big?n=1000000"));
                big.body().readChunk();
                big.close();
                assertThat(client.openConnections()).isZero();
                assertThat(client.get(url("/hello")).text()).isEqualTo("hello");
                assertThat(client.openConnections()).isEqualTo(1);
            }
            return null;
        });
    }

    @Test
    void clearErrorsForEveryFailure() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertThatThrownBy(() -> client.get("http://no-such-host.invalid/"))
                        .isInstanceOf(HttpDnsException.class).hasMessageContaining("no-such-host.invalid");
                int closedPort = PeerProcess.freePort();
                assertThatThrownBy(() -> client.get("http://127.0.0.1:" + closedPort + "/"))
                        .isInstanceOf(HttpConnectException.class).hasMessageContaining(":" + closedPort);
                assertThatThrownBy(() -> client.get(url("/malformed")))
                        .isInstanceOf(MalformedResponseException.class).hasMessageContaining("differing Content-Length")
                        .hasMessageContaining("/malformed");
                ClientResponse truncated = client.get(url("/truncated"));
                assertThatThrownBy(truncated::bytes).isInstanceOf(MalformedResponseException.class).hasMessageContaining("91 bytes");
                assertThatThrownBy(() -> client.get("ftp://127.0.0.1/")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("not an http or https URL");
                assertThatThrownBy(() -> client.get("http://exa mple/")).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> client.request("GET", url("/")).header("X-A", "1\r\nX-Injected: 1"))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(client.openConnections()).isZero();
            }
            return null;
        });
    }

    @Test
    void aClosedClientRefusesRequests() {
        Asyncio.run(() -> {
            HttpClient client = HttpClient.create();
            client.get(url("/hello")).text();
            client.close();
            assertThat(client.openConnections()).isZero();
            assertThatThrownBy(() -> client.get(url("/hello"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
            return null;
        });
    }

    /**
     * A keep-alive race: the server closes an idle connection just as the client sends on it. The
     * request is sent again on a new connection, once, and succeeds.
     */
    @Test
    void aStaleKeepAliveConnectionIsRetriedOnce() {
        Asyncio.run(() -> {
            AtomicInteger connections = new AtomicInteger();
            Server server = Net.startServer((reader, writer) -> {
                connections.incrementAndGet();
                HttpEventReader events = new HttpEventReader(reader, HttpParser.forRequests(HttpLimits.SERVER_DEFAULTS), null);
                int served = 0;
                while (events.next() instanceof RequestHead) {
                    events.next(); // MessageEnd of a GET
                    if (++served == 2) {
                        writer.transport().abort(); // the second request on a connection is never answered
                        return;
                    }
                    writer.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                    writer.drain();
                }
            }, "127.0.0.1", 0);
            try (HttpClient client = HttpClient.create()) {
                String base = "http://127.0.0.1:" + server.port();
                assertThat(client.get(base + "/a").text()).isEqualTo("ok");
                assertThat(client.get(base + "/b").text()).isEqualTo("ok");
                assertThat(connections.get()).isEqualTo(2);
            } finally {
                server.close();
            }
            return null;
        });
    }

    /** Cancelled while waiting for a pool slot: no slot is lost, no socket leaks. */
    @Test
    void cancellingAWaitForAPoolSlotLosesNothing() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withMaxConnectionsPerHost(1))) {
                Task<String> holder = Asyncio.createTask(() -> client.get(url("/slow?ms=300")).text());
                Asyncio.sleep(0.05);
                Task<String> waiter = Asyncio.createTask(() -> client.get(url("/hello")).text());
                Asyncio.sleep(0.05);
                waiter.cancel();
                assertThatThrownBy(() -> Asyncio.await(waiter)).isInstanceOf(CancelledError.class);
                assertThat(Asyncio.await(holder)).isEqualTo("slow");
                assertThat(client.get(url("/hello")).text()).as("the slot came back").isEqualTo("hello");
                assertThat(client.openConnections()).isEqualTo(1);
            }
            return null;
        });
    }

    /** The total limit holds across hosts: idle connections of one host make room for another. */
    @Test
    void theTotalLimitSpansHosts() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create(ClientOptions.DEFAULTS.withMaxConnections(1))) {
                assertThat(client.get(url("/hello")).text()).isEqualTo("hello");
                assertThat(client.get("http://localhost:" + peer.port + "/hello").text()).isEqualTo("hello");
                assertThat(client.openConnections()).as("the idle 127.0.0.1 connection was closed for localhost").isEqualTo(1);
            }
            return null;
        });
    }

    /** A server that resets the connection in the middle of a body: a clear error, the socket discarded. */
    @Test
    void aResetInTheMiddleOfTheBody() {
        Asyncio.run(() -> {
            Server server = Net.startServer((reader, writer) -> {
                reader.readUntil("\r\n\r\n".getBytes());
                writer.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
                writer.drain();
                Asyncio.sleep(0.05);
                writer.transport().abort();
            }, "127.0.0.1", 0);
            try (HttpClient client = HttpClient.create()) {
                ClientResponse r = client.get("http://127.0.0.1:" + server.port() + "/");
                assertThatThrownBy(r::bytes).isInstanceOf(MalformedResponseException.class)
                        .hasMessageContaining("http://127.0.0.1:" + server.port());
                assertThat(client.openConnections()).isZero();
            } finally {
                server.close();
            }
            return null;
        });
    }
}
