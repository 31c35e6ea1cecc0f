package io.jasyncio.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopOptions;
import io.jasyncio.net.Net;
import io.jasyncio.net.Server;
import io.jasyncio.net.StreamPair;
import io.jasyncio.net.StreamReader;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's service: the key-value protocol in process, and the graceful SIGTERM shutdown with a real
 * signal sent to a child JVM running {@code jasyncio demo kv}.
 */
@Timeout(120)
class KeyValueServerTest {
    private static final LoopOptions OPTS = LoopOptions.defaults().withHandleSigint(false);

    @Test
    void theProtocolStoresReadsAndDeletes() {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        List<String> replies = Asyncio.run(() -> {
            Server server = new KeyValueServer(quiet).start("127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            List<String> got = new ArrayList<>();
            for (String req : List.of("SET color blue sky", "GET color", "DEL color", "GET color", "DEL color",
                    "GET", "WAIT x", "WAIT 1", "FLY", "QUIT")) {
                if (req.equals("WAIT 1")) {
                    c.writer().write(req + "\n");
                    assertThat(StreamReader.text(c.reader().readline())).isEqualTo("WAITING");
                    got.add(StreamReader.text(c.reader().readline()));
                    continue;
                }
                c.writer().write(req + "\n");
                got.add(StreamReader.text(c.reader().readline()));
            }
            assertThat(c.reader().read()).as("QUIT closes the connection").isEmpty();
            c.close();
            server.close();
            server.waitClosed();
            return got;
        }, OPTS);
        assertThat(replies).containsExactly("OK", "VALUE blue sky", "DELETED", "NONE", "NONE",
                "ERR usage: GET key", "ERR usage: WAIT milliseconds", "OK",
                "ERR unknown command 'FLY': use SET, GET, DEL, WAIT or QUIT", "BYE");
    }

    /** A client of the child: a blocking socket with a read timeout, so the test cannot hang. */
    private record Client(Socket socket, BufferedReader in, PrintWriter out) implements AutoCloseable {
        static Client connect(int port) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(60_000);
            return new Client(s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)),
                    new PrintWriter(s.getOutputStream(), true, StandardCharsets.UTF_8));
        }

        String ask(String line) throws IOException {
            out.println(line);
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static boolean linux() {
        return System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
    }

    @Test
    void sigtermStopsAcceptingLetsBusyClientsFinishTellsIdleOnesGoodbyeThenCancelsTheRest() throws Exception {
        assumeTrue(linux(), "sends a real SIGTERM with kill(1)");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-exports=java.base/jdk.internal.vm=ALL-UNNAMED");
        String engine = System.getProperty("jasyncio.engine");
        if (engine != null) {
            command.add("-Djasyncio.engine=" + engine); // the same engine as this test run
        }
        command.addAll(List.of("-Xmx256m", "-cp", System.getProperty("java.class.path"), io.jasyncio.examples.Main.class.getName(),
                "demo", "kv", "--port", "0", "--grace", "3000"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader log = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        try {
            String banner = readLine(log, "kv server on port ");
            int port = Integer.parseInt(banner.replaceAll(".*port (\\d+).*", "$1"));
            try (Client idle = Client.connect(port); Client busy = Client.connect(port); Client stuck = Client.connect(port)) {
                assertThat(idle.ask("SET k v")).isEqualTo("OK");
                assertThat(busy.ask("GET k")).isEqualTo("VALUE v");
                assertThat(stuck.ask("GET k")).isEqualTo("VALUE v");
                assertThat(busy.ask("WAIT 500")).isEqualTo("WAITING");       // finishes well within the 3 s grace period
                assertThat(stuck.ask("WAIT 600000")).isEqualTo("WAITING");   // does not: cancelled when the grace period ends
                new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).inheritIO().start().waitFor();
                assertThat(readLine(log, "shutting down")).contains("3000 ms");
                assertThat(idle.in().readLine()).as("an idle client is told at once").isEqualTo("BYE server shutting down");
                assertThat(idle.in().readLine()).as("and its connection ends").isNull();
                assertThat(busy.in().readLine()).as("a busy client's request completes").isEqualTo("OK");
                assertThat(busy.in().readLine()).isEqualTo("BYE server shutting down");
                assertThat(busy.in().readLine()).isNull();
                assertThat(readLine(log, "stopped")).contains("cancelled the clients still running after the grace period");
                try {
                    assertThat(stuck.in().readLine()).as("the stuck client's connection was aborted").isNull();
                } catch (java.net.SocketException reset) {
                    assertThat(reset.getMessage()).contains("reset");
                }
                assertThatRefused(port);
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("a graceful stop exits 0").isZero();
        } finally {
            child.destroyForcibly().waitFor();
        }
    }

    private static void assertThatRefused(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            throw new AssertionError("the server still accepts connections on port " + port);
        } catch (IOException refused) {
            assertThat(refused).isInstanceOf(java.net.ConnectException.class);
        }
    }

    /** The child's next output line containing {@code text}; fails after 60 s. */
    private static String readLine(BufferedReader log, String text) throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                StringBuilder skipped = new StringBuilder();
                String l;
                while ((l = log.readLine()) != null) {
                    if (l.contains(text)) {
                        return l;
                    }
                    skipped.append(l).append('\n');
                }
                throw new AssertionError("the child ended before printing '" + text + "'; it printed:\n" + skipped);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(60, TimeUnit.SECONDS);
    }
}
