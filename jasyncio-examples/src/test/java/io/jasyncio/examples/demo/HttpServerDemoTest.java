package io.jasyncio.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.Task;
import io.jasyncio.http.HttpServer;
import io.jasyncio.http.WebSocket;
import io.jasyncio.net.Net;
import io.jasyncio.net.StreamPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The http-server demo on a free port: its site, /echo, /slow, the chat broadcast, and a clean stop. */
@Timeout(60)
class HttpServerDemoTest {
    private static final LoopOptions OPTS = LoopOptions.defaults().withHandleSigint(false);

    /** curl, off the loop thread, bounded in time; null if curl is missing. */
    private static String curl(String... args) {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--noproxy", "*"));
        command.addAll(List.of(args));
        return Asyncio.toThread(() -> {
            java.lang.Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                return out;
            } finally {
                p.destroyForcibly();
            }
        });
    }

    private static boolean curlAvailable() {
        try {
            return new ProcessBuilder("curl", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void siteEchoSlowAndChat() {
        assumeTrue(curlAvailable(), "curl is needed (.ci/run installs it)");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Asyncio.run(() -> {
            HttpServer server = new HttpServerDemo(quiet).start("127.0.0.1", 0, null, false);
            try {
                String base = "http://127.0.0.1:" + server.port();
                assertThat(curl(base + "/")).contains("<h1>jasyncio http-server</h1>");
                assertThat(curl("-o", "/dev/null", "-w", "%{http_code} %{content_type}", base + "/chat.html"))
                        .isEqualTo("200 text/html; charset=utf-8");
                assertThat(curl("--data-binary", "echo me", base + "/echo")).isEqualTo("echo me");
                assertThat(curl(base + "/slow?ms=20")).isEqualTo("slept 20 ms\n");
                assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", base + "/slow?ms=-1")).isEqualTo("400");
                assertThat(curl("-o", "/dev/null", "-w", "%{http_code}", base + "/nothing-here")).isEqualTo("404");

                WebSocket ann = WebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat?name=ann"));
                assertThat(ann.receive().text()).isEqualTo("*** ann joined (1 here)");
                WebSocket bob = WebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat?name=bob"));
                assertThat(ann.receive().text()).isEqualTo("*** bob joined (2 here)");
                assertThat(bob.receive().text()).isEqualTo("*** bob joined (2 here)");
                ann.sendText("hi bob");
                assertThat(bob.receive().text()).isEqualTo("ann: hi bob");
                assertThat(ann.receive().text()).isEqualTo("ann: hi bob"); // broadcast to everyone, the sender too
                bob.close();
                assertThat(ann.receive().text()).isEqualTo("*** bob left");
                ann.close();
            } finally {
                server.shutdown(Duration.ofSeconds(5));
            }
            return null;
        }, OPTS);
    }

    @Test
    void cancellingTheServeTaskShutsDownAndReleasesThePort() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Asyncio.run(() -> {
            int port;
            try (var probe = java.nio.channels.ServerSocketChannel.open()) {
                probe.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
                port = ((java.net.InetSocketAddress) probe.getLocalAddress()).getPort();
            }
            Task<Void> serving = Asyncio.createTask(() -> new HttpServerDemo(quiet).serve("127.0.0.1", port, null, false));
            StreamPair client = null;
            for (int i = 0; i < 200 && client == null; i++) { // until it listens
                try {
                    client = Net.openConnection("127.0.0.1", port);
                } catch (java.net.ConnectException notYet) {
                    Asyncio.sleep(0.01);
                }
            }
            assertThat(client).isNotNull();
            StreamPair conn = client;
            conn.writer().write("GET /slow?ms=300 HTTP/1.1\r\nHost: t\r\n\r\n");
            Asyncio.sleep(0.05);
            serving.cancel(); // what Ctrl-C does to the demo's main task
            byte[] answer = Asyncio.timeout(Duration.ofSeconds(20), () -> conn.reader().read());
            String text = new String(answer, StandardCharsets.UTF_8);
            assertThat(text).startsWith("HTTP/1.1 200 OK").contains("Connection: close").endsWith("slept 300 ms\n");
            try {
                serving.await();
            } catch (io.jasyncio.CancelledError expected) {
                // the serve task ends cancelled, after its graceful shutdown
            }
            try (var again = java.nio.channels.ServerSocketChannel.open()) {
                again.bind(new java.net.InetSocketAddress("127.0.0.1", port)); // the port is free again
            }
            return null;
        }, OPTS);
    }
}
