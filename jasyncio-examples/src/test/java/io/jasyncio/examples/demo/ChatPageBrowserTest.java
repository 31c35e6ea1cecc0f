package io.jasyncio.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.examples.Chromium;
import io.jasyncio.http.HttpServer;
import io.jasyncio.http.WebSocket;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat page in a real browser: headless Chromium (Debian's {@code chromium}) loads /chat.html, whose
 * script connects to the /chat WebSocket and sends a line; when the broadcast of that line has come back
 * and is shown, the page sends what its list shows. A WebSocket client of ours in the room hears the
 * browser join, speak and report its list; no timing guesses (the browser runs until the report came).
 */
@Timeout(90)
class ChatPageBrowserTest {
    @Test
    void browserJoinsTheChatAndSeesTheBroadcast(@TempDir Path profile) {
        assumeTrue(Chromium.available(), "chromium is needed (.ci/run installs it)");
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        Asyncio.run(() -> {
            HttpServer server = new HttpServerDemo(quiet).start("127.0.0.1", 0, null, false);
            try {
                WebSocket observer = WebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat?name=observer"));
                assertThat(observer.receive().text()).isEqualTo("*** observer joined (1 here)");
                String page = "http://127.0.0.1:" + server.port() + "/chat.html?name=robot&say=hello%20from%20chromium&ack=1";
                // --remote-debugging-port keeps headless Chromium running until we stop it
                ProcessBuilder launch = Chromium.headless(profile, "--remote-debugging-port=0", page)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
                java.lang.Process browser = launch.start();
                try {
                    Asyncio.timeout(Duration.ofSeconds(60), () -> {
                        assertThat(observer.receive().text()).isEqualTo("*** robot joined (2 here)");
                        assertThat(observer.receive().text()).isEqualTo("robot: hello from chromium");
                        assertThat(observer.receive().text())
                                .isEqualTo("robot: ack: *** robot joined (2 here) | robot: hello from chromium");
                        return null;
                    });
                } finally {
                    browser.destroy(); // SIGTERM: Chromium removes its temporary files as it exits
                    if (!Asyncio.toThread(() -> browser.waitFor(20, TimeUnit.SECONDS))) {
                        browser.destroyForcibly();
                    }
                }
                assertThat(Asyncio.timeout(Duration.ofSeconds(30), () -> observer.receive().text())).isEqualTo("*** robot left");
                observer.close();
            } finally {
                server.shutdown(Duration.ofSeconds(5));
            }
            return null;
        }, LoopOptions.defaults().withHandleSigint(false));
    }
}
