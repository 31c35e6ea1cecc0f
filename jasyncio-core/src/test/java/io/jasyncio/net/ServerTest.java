package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.testsupport.ChildJvm;
import io.jasyncio.test.StrictLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The listening server's life cycle and its behaviour when the process runs out of descriptors. */
@Timeout(120)
class ServerTest {

    @Test
    void portCanBeBoundAgainAsSoonAsWaitClosedReturns() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            for (int round = 0; round < 20; round++) {
                Server s = Net.startServer((r, w) -> w.close(), "127.0.0.1", 0);
                int port = s.port();
                s.close();
                s.waitClosed();
                try (ServerSocketChannel again = ServerSocketChannel.open()) {
                    again.bind(new InetSocketAddress("127.0.0.1", port)); // "Address already in use" before the fix
                }
                Server same = Net.startServer((r, w) -> w.close(), "127.0.0.1", port);
                same.close();
                same.waitClosed();
            }
            return null;
        });
    }

    @Test
    void waitClosedStillWaitsForTheConnections() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            io.jasyncio.Future<Void> accepted = io.jasyncio.Asyncio.getRunningLoop().createFuture();
            Server s = Net.startServer((r, w) -> {
                accepted.setResult(null);
                r.read();
                w.close();
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", s.port());
            accepted.await();
            s.close();
            io.jasyncio.Task<Void> waiting = io.jasyncio.Asyncio.createTask(() -> {
                s.waitClosed();
                return null;
            });
            io.jasyncio.Asyncio.sleep(0.05);
            assertThat(waiting.done()).as("a client is still connected").isFalse();
            c.writer().writeEof();
            waiting.await();
            c.close();
            return null;
        });
    }

    static boolean linuxWithBash() {
        try {
            return System.getProperty("os.name").toLowerCase().contains("linux")
                    && new ProcessBuilder("bash", "-c", "true").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /**
     * Drives {@link FdExhaustionChild} through {@code rounds} bursts of descriptor exhaustion with
     * {@code clients} connections waiting in the backlog each time; asserts every connection is served
     * once descriptors free up and the server reported exactly once per burst.
     */
    static void exhaustAndRecover(int rounds, int clients) throws Exception {
        assumeTrue(linuxWithBash(), "needs Linux and bash for ulimit -n");
        try (ChildJvm child = ChildJvm.start(FdExhaustionChild.class, 400)) {
            int port = Integer.parseInt(child.expect("PORT ", 60).substring(5));
            for (int round = 1; round <= rounds; round++) {
                child.send("FILL");
                assertThat(child.expect("FILLED ", 30)).contains("Too many open files");
                List<Socket> sockets = new ArrayList<>();
                try {
                    for (int i = 0; i < clients; i++) {
                        Socket s = new Socket("127.0.0.1", port); // completes in the backlog: no accept needed
                        s.setSoTimeout(30_000);
                        OutputStream o = s.getOutputStream();
                        o.write(("hello " + round + " " + i + "\n").getBytes(StandardCharsets.UTF_8));
                        o.flush();
                        sockets.add(s);
                    }
                    // Two retry periods and more go by while the descriptors stay exhausted.
                    long holdMs = 2 * Server.ACCEPT_RETRY_DELAY.toMillis() + 500;
                    child.send("HOLD " + holdMs);
                    String[] answer = child.expect("REPORTS ", 30).split(" ");
                    assertThat(Integer.parseInt(answer[1])).as("one report per burst, not one per failed accept").isEqualTo(round);
                    // Out of the selector between retries: at most one failed accept per retry delay (a spinning
                    // server fails tens of thousands of times a second). A bound that load can only make safer.
                    assertThat(Long.parseLong(answer[3])).as("failed accepts in %d ms", holdMs)
                            .isLessThanOrEqualTo(holdMs / Server.ACCEPT_RETRY_DELAY.toMillis() + 1);
                    child.send("RELEASE");
                    child.expect("RELEASED", 30);
                    for (int i = 0; i < clients; i++) { // served by itself once descriptors are free
                        BufferedReader in = new BufferedReader(new InputStreamReader(sockets.get(i).getInputStream(), StandardCharsets.UTF_8));
                        assertThat(in.readLine()).isEqualTo("hello " + round + " " + i);
                    }
                } finally {
                    for (Socket s : sockets) {
                        s.close();
                    }
                }
            }
            child.send("QUIT");
            assertThat(child.expect("REPORTS ", 30)).isEqualTo("REPORTS " + rounds);
            assertThat(child.waitFor()).isZero();
        }
    }

    @Test
    void acceptOutOfDescriptorsBacksOffReportsOnceAndResumesByItself() throws Exception {
        exhaustAndRecover(1, 3);
    }
}
