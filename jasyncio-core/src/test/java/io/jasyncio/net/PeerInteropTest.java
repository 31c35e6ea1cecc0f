package io.jasyncio.net;

import io.jasyncio.test.StrictLoop;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with peers we did not write: CPython's asyncio (server and client), on
 * loopback, bounded in time; plus Unix domain sockets and a 2,000-connection run on one loop.
 */
@Timeout(120)
class PeerInteropTest {

    private static final String PY_ECHO_SERVER = """
            import asyncio, sys
            async def handle(r, w):
                while True:
                    line = await r.readline()
                    if not line:
                        break
                    w.write(b"py:" + line)
                    await w.drain()
                w.close()
            async def main():
                srv = await asyncio.start_server(handle, "127.0.0.1", 0)
                print(srv.sockets[0].getsockname()[1], flush=True)
                await asyncio.wait_for(srv.serve_forever(), 60)
            try:
                asyncio.run(main())
            except (asyncio.TimeoutError, asyncio.CancelledError, KeyboardInterrupt):
                pass
            """;

    private static final String PY_CLIENT = """
            import asyncio, sys
            async def main(port):
                r, w = await asyncio.open_connection("127.0.0.1", port)
                for i in range(100):
                    w.write(f"msg {i}\\n".encode())
                await w.drain()
                w.write_eof()
                data = await asyncio.wait_for(r.read(), 30)
                print(len(data.splitlines()), data.splitlines()[-1].decode(), flush=True)
                w.close()
                await w.wait_closed()
            asyncio.run(main(int(sys.argv[1])))
            """;

    private static boolean python() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Test
    void jasyncioClientTalksToAPythonAsyncioServer(@TempDir Path dir) throws Exception {
        assumeTrue(python(), "python3 is needed for this peer test");
        Path script = dir.resolve("echo_server.py");
        Files.writeString(script, PY_ECHO_SERVER);
        Process py = new ProcessBuilder("python3", script.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(py.getInputStream(), StandardCharsets.UTF_8));
            int port = Integer.parseInt(out.readLine().trim());
            StrictLoop.run(StrictLoop.realTime(), () -> {
                List<Task<List<String>>> clients = new ArrayList<>();
                for (int c = 0; c < 20; c++) {
                    int id = c;
                    clients.add(createTask(() -> {
                        try (StreamPair conn = Net.openConnection("127.0.0.1", port)) {
                            List<String> replies = new ArrayList<>();
                            for (int i = 0; i < 10; i++) {
                                conn.writer().write("c" + id + " #" + i + "\n");
                                conn.writer().drain();
                                replies.add(StreamReader.text(conn.reader().readline()));
                            }
                            return replies;
                        }
                    }));
                }
                List<List<String>> all = gather(clients);
                assertThat(all.get(7)).hasSize(10).first().isEqualTo("py:c7 #0");
                return null;
            });
        } finally {
            py.destroy();
            py.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPythonAsyncioClientTalksToAJasyncioServer(@TempDir Path dir) throws Exception {
        assumeTrue(python(), "python3 is needed for this peer test");
        Path script = dir.resolve("client.py");
        Files.writeString(script, PY_CLIENT);
        String printed = StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                for (byte[] line : r) {
                    w.write(("echo " + StreamReader.text(line) + "\n").getBytes(StandardCharsets.UTF_8));
                    w.drain();
                }
                w.close();
            }, "127.0.0.1", 0)) {
                int port = server.port();
                // The client is a blocking process: wait for it on a worker thread.
                return Asyncio.toThread(() -> {
                    Process p = new ProcessBuilder("python3", script.toString(), Integer.toString(port)).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    p.waitFor(30, TimeUnit.SECONDS);
                    return out;
                });
            }
        });
        assertThat(printed).isEqualTo("100 echo msg 99");
    }

    @Test
    void unixDomainSocketStreams(@TempDir Path dir) {
        Path sock = dir.resolve("echo.sock");
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server server = Net.startUnixServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, sock);
            try (StreamPair c = Net.openUnixConnection(sock)) {
                c.writer().write("over unix\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("over unix");
            }
            server.close();
            server.waitClosed();
            assertThat(sock).doesNotExist();
            return null;
        });
    }

    @Test
    void twoThousandConcurrentConnectionsOnOneLoop() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                w.write(r.readline());
                w.close();
            }, "127.0.0.1", 0, 64 * 1024)) {
                List<StreamPair> open = new ArrayList<>();
                for (int i = 0; i < 2000; i++) {
                    open.add(Net.openConnection("127.0.0.1", server.port()));
                }
                List<Task<String>> talks = new ArrayList<>();
                for (int i = 0; i < open.size(); i++) {
                    StreamPair c = open.get(i);
                    int n = i;
                    talks.add(createTask(() -> {
                        c.writer().write("n" + n + "\n");
                        String s = StreamReader.text(c.reader().readline());
                        c.close();
                        return s;
                    }));
                }
                List<String> replies = gather(talks);
                assertThat(replies).hasSize(2000).contains("n0", "n1999");
                server.close();
                server.waitClosed();
            }
            return null;
        });
    }
}
