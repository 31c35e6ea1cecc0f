package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The loop's I/O polling when work is always ready: a turn right after one that asked the selector
 * skips its poll (EventLoop's implementation notes), but I/O is still polled every other turn, so a
 * task that never lets the ready queue empty cannot starve sockets; and a channel that stops being
 * watched is still released by the very next turn (its port free, its peer told).
 */
@Timeout(60)
class LoopIoPollTest {

    @Test
    void aTaskThatKeepsYieldingDoesNotStarveSocketReads() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            boolean[] stop = {false};
            long[] spins = {0};
            Task<Void> spinner = Asyncio.createTask(() -> {
                while (!stop[0]) {
                    Asyncio.yieldNow(); // the ready queue is never empty while it runs
                    spins[0]++;
                }
                return null;
            });
            try (Server server = Net.startServer((r, w) -> {
                for (int i = 0; i < 20; i++) { // many round trips, each needs the selector
                    byte[] line = r.readline();
                    w.write(line);
                    w.drain();
                }
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                for (int i = 0; i < 20; i++) {
                    c.writer().write("ping " + i + "\n");
                    c.writer().drain();
                    assertThat(new String(c.reader().readline(), StandardCharsets.US_ASCII)).isEqualTo("ping " + i + "\n");
                }
                assertThat(c.reader().read(10)).as("the server's close arrives too").isEmpty();
                c.writer().close();
            }
            stop[0] = true;
            spinner.await();
            assertThat(spins[0]).as("the spinner ran meanwhile").isPositive();
            return null;
        });
    }
}
