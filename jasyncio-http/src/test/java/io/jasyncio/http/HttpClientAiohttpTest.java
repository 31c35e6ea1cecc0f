package io.jasyncio.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jasyncio.Asyncio;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a real aiohttp server (Debian's python3-aiohttp; peers/aiohttp_peer.py). */
@Timeout(120)
class HttpClientAiohttpTest {
    private static PeerProcess aiohttp;

    @BeforeAll
    static void start() throws Exception {
        aiohttp = PeerProcess.python("aiohttp_peer.py");
    }

    @AfterAll
    static void stop() throws Exception {
        if (aiohttp != null) {
            aiohttp.close();
        }
    }

    @Test
    void helloStreamCompressedAndEcho() {
        Asyncio.run(() -> {
            try (HttpClient client = HttpClient.create()) {
                assertThat(client.get(aiohttp.url("/hello")).text()).isEqualTo("hello from aiohttp");
                ClientResponse stream = client.get(aiohttp.url("/stream"));
                assertThat(stream.header("Transfer-Encoding")).isEqualTo("chunked");
                List<String> lines = new ArrayList<>(List.of(stream.text().split("\n")));
                assertThat(lines).hasSize(100).startsWith("line 0").endsWith("line 99");
                ClientResponse compressed = client.get(aiohttp.url("/compressed"));
                assertThat(compressed.header("Content-Encoding")).isIn("gzip", "deflate");
                assertThat(compressed.text()).isEqualTo("compressible ".repeat(2000));
                JsonNode echo = client.post(aiohttp.url("/echo"), RequestBody.ofText("x".repeat(100_000))).json(JsonNode.class);
                assertThat(echo.get("length").asInt()).isEqualTo(100_000);
                assertThat(client.openConnections()).as("aiohttp keeps the connection alive").isEqualTo(1);
            }
            return null;
        });
    }
}
