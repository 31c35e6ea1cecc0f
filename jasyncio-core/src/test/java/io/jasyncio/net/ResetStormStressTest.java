package io.jasyncio.net;

import static io.jasyncio.Asyncio.createTask;
import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import io.jasyncio.testsupport.StressScale;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A storm of connections to one echo server in which half the clients reset their connection
 * (RST: {@code SO_LINGER} 0, then abort) in the middle of a transfer while the other half send,
 * half-close and check what comes back by checksum. The resets must cost the others nothing: bytes
 * lost = 0, the server keeps serving, no descriptor is left behind. Scaled by {@link StressScale}.
 */
@Timeout(300)
class ResetStormStressTest {
    private static final int SCALE = StressScale.factor();

    private static long crc(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return c.getValue();
    }

    @Test
    void resetsInTheMiddleOfTransfersLoseNoByteOfTheOtherConnections() {
        long seed = System.nanoTime();
        int rounds = 3 * SCALE;
        int clientsPerRound = 24 * SCALE;
        long fdsBefore = StrictLoop.openFds();
        long[] lost = {0};
        int[] verified = {0};
        int[] serverResets = {0};
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server server = Net.startServer((r, w) -> {
                try {
                    while (true) {
                        byte[] data = r.read(64 * 1024);
                        if (data.length == 0) {
                            break;
                        }
                        w.write(data);
                        w.drain();
                    }
                    w.close();
                } catch (IOException reset) { // the peer's RST: its business, not an error of the server
                    serverResets[0]++;
                    w.transport().abort();
                }
            }, "127.0.0.1", 0);
            Random random = new Random(seed);
            for (int round = 0; round < rounds; round++) {
                List<Task<Void>> clients = new ArrayList<>();
                for (int i = 0; i < clientsPerRound; i++) {
                    boolean resetter = i % 2 == 1;
                    byte[] payload = new byte[1 + random.nextInt(256 * 1024)];
                    random.nextBytes(payload);
                    int cutAt = random.nextInt(payload.length);
                    clients.add(createTask(() -> {
                        StreamPair c = Net.openConnection("127.0.0.1", server.port());
                        if (resetter) {
                            c.writer().write(Arrays.copyOf(payload, cutAt));
                            c.writer().drain();
                            c.reader().read(1 + cutAt / 2); // some of the echo may be in flight: cut anyway
                            ((SocketChannel) c.writer().getExtraInfo("socket")).setOption(StandardSocketOptions.SO_LINGER, 0);
                            c.writer().transport().abort();
                            return null;
                        }
                        Task<Void> send = createTask(() -> {
                            for (int off = 0; off < payload.length; off += 8192) {
                                c.writer().write(Arrays.copyOfRange(payload, off, Math.min(payload.length, off + 8192)));
                                c.writer().drain();
                            }
                            c.writer().writeEof();
                            return null;
                        });
                        byte[] echo = c.reader().read();
                        send.await();
                        lost[0] += Math.max(0, payload.length - echo.length);
                        assertThat(echo.length).isEqualTo(payload.length);
                        assertThat(crc(echo)).as("checksum of the echo (seed %d)", seed).isEqualTo(crc(payload));
                        verified[0]++;
                        c.writer().close();
                        c.writer().waitClosed();
                        return null;
                    }));
                }
                Asyncio.gather(clients);
            }
            // The server still serves after the storm.
            StreamPair after = Net.openConnection("127.0.0.1", server.port());
            after.writer().write("still here\n");
            assertThat(StreamReader.text(after.reader().readline())).isEqualTo("still here");
            after.writer().close();
            after.writer().waitClosed();
            Asyncio.sleep(0.05); // the server's side of it closes too
            server.close();
            server.abortClients();
            server.waitClosed();
            return null;
        });
        assertThat(lost[0]).as("bytes lost").isZero();
        assertThat(verified[0]).isEqualTo(rounds * clientsPerRound / 2);
        if (fdsBefore >= 0) {
            assertThat(StrictLoop.openFds()).as("descriptors after the storm").isLessThanOrEqualTo(fdsBefore + 8);
        }
    }
}
