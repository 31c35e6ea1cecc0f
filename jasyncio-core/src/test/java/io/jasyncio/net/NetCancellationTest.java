package io.jasyncio.net;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.test.SelfSignedCertificate;
import io.jasyncio.test.StrictLoop;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Cancellation at the network suspension points: prompt, and nothing lost or leaked. */
@Timeout(60)
class NetCancellationTest {

    @Test
    void cancelledReadlineKeepsThePartialLineForTheNextRead() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                w.write("hel");
                w.drain();
                sleep(0.3);
                w.write("lo\n");
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                Task<byte[]> reading = createTask(() -> c.reader().readline());
                sleep(0.1); // "hel" has arrived, the line is not complete
                reading.cancel();
                assertThatThrownBy(reading::await).isInstanceOf(CancelledError.class);
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("hello"); // nothing was consumed
                c.close();
            }
            return null;
        });
    }

    @Test
    void cancelledDrainKeepsTheBufferedBytesAndTheyAreStillSent() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            int[] received = {0};
            try (Server server = Net.startServer((r, w) -> {
                sleep(0.3); // read nothing for a while: the client's buffer fills
                received[0] = r.read().length;
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                byte[] chunk = new byte[1 << 20];
                Task<Void> writer = createTask(() -> {
                    for (int i = 0; i < 8; i++) {
                        c.writer().write(chunk);
                        c.writer().drain();
                    }
                    return null;
                });
                sleep(0.1);
                writer.cancel(); // while it waits in drain()
                assertThatThrownBy(writer::await).isInstanceOf(CancelledError.class);
                int buffered = c.writer().transport().getWriteBufferSize();
                assertThat(buffered).isGreaterThan(0);
                c.close(); // flushes what was buffered
                while (received[0] == 0) {
                    sleep(0.02);
                }
                assertThat(received[0] % chunk.length).isZero(); // whole chunks: nothing half-dropped
            }
            return null;
        });
    }

    @Test
    void cancellingATlsHandshakeClosesTheSocket(@TempDir Path dir) throws Exception {
        SelfSignedCertificate certs = SelfSignedCertificate.generate(dir, "localhost", "127.0.0.1");
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = Thread.ofPlatform().start(() -> {
                try (Socket s = silent.accept()) {
                    // never answers the ClientHello; waits for the client to give up
                    s.getInputStream().readAllBytes();
                } catch (Exception ignored) {
                    // reset by the client: expected
                }
            });
            long before = StrictLoop.openFds();
            StrictLoop.run(StrictLoop.realTime(), () -> {
                Task<StreamPair> connecting = createTask(() -> Net.openConnection("localhost", silent.getLocalPort(),
                        TlsOptions.of(certs.clientContext())));
                sleep(0.2);
                connecting.cancel();
                assertThatThrownBy(connecting::await).isInstanceOf(CancelledError.class);
                sleep(0.05);
                return null;
            });
            acceptor.join(10_000);
            assertThat(acceptor.isAlive()).as("the peer saw the connection close").isFalse();
            if (before >= 0) {
                assertThat(StrictLoop.openFds()).isLessThanOrEqualTo(before + 2);
            }
        }
    }

    @Test
    void cancelledServeForeverClosesTheServer() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server server = Net.startServer((r, w) -> w.close(), "127.0.0.1", 0);
            int port = server.port();
            Task<Void> serving = createTask(() -> {
                server.serveForever();
                return null;
            });
            sleep(0.05);
            serving.cancel();
            assertThatThrownBy(serving::await).isInstanceOf(CancelledError.class);
            assertThat(server.isServing()).isFalse();
            server.waitClosed();
            assertThatThrownBy(() -> Net.openConnection("127.0.0.1", port)).isInstanceOf(java.net.ConnectException.class);
            return null;
        });
    }
}
