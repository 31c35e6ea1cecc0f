package io.jasyncio.net;

import io.jasyncio.test.StrictLoop;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.gather;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jasyncio.Asyncio;
import io.jasyncio.IncompleteReadException;
import io.jasyncio.LimitOverrunException;
import io.jasyncio.Task;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Streams over real sockets on 127.0.0.1. */
@Timeout(120)
class StreamsTest {

    private static Server echoServer() throws IOException {
        return Net.startServer((r, w) -> {
            while (true) {
                byte[] data = r.read(65536);
                if (data.length == 0) {
                    break;
                }
                w.write(data);
                w.drain();
            }
            w.close();
        }, "127.0.0.1", 0);
    }

    @Test
    void echoManyConcurrentClients() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = echoServer()) {
                List<Task<String>> clients = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    clients.add(createTask(() -> {
                        try (StreamPair c = Net.openConnection("127.0.0.1", server.port())) {
                            c.writer().write("hello " + n + "\n");
                            c.writer().drain();
                            return StreamReader.text(c.reader().readline());
                        }
                    }));
                }
                List<String> replies = gather(clients);
                for (int i = 0; i < 200; i++) {
                    assertThat(replies.get(i)).isEqualTo("hello " + i);
                }
                server.close();
                server.waitClosed();
            }
            return null;
        });
    }

    @Test
    void readExactlyReadUntilAndLines() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                w.write("line one\nline two\nABCDEFGH--END--tail");
                w.drain();
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                List<String> lines = new ArrayList<>();
                lines.add(StreamReader.text(c.reader().readline()));
                lines.add(StreamReader.text(c.reader().readline()));
                assertThat(lines).containsExactly("line one", "line two");
                assertThat(new String(c.reader().readExactly(4), StandardCharsets.US_ASCII)).isEqualTo("ABCD");
                assertThat(new String(c.reader().readUntil("--END--".getBytes()), StandardCharsets.US_ASCII)).isEqualTo("EFGH--END--");
                IncompleteReadException e = catchThrowableOfType(IncompleteReadException.class, () -> c.reader().readExactly(10));
                assertThat(new String(e.partial(), StandardCharsets.US_ASCII)).isEqualTo("tail");
                assertThat(e.expected()).isEqualTo(10);
                assertThat(c.reader().atEof()).isTrue();
                assertThat(c.reader().read()).isEmpty();
                c.close();
            }
            return null;
        });
    }

    @Test
    void lineLongerThanTheLimitIsRefusedAndSkipped() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                w.write("x".repeat(100) + "\nshort\n");
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port(), 16);
                assertThatThrownBy(c.reader()::readline).isInstanceOf(LimitOverrunException.class);
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("short");
                c.close();
            }
            return null;
        });
    }

    @Test
    void iteratingTheReaderYieldsLinesUntilTheEnd() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                w.write("a\nb\nc\n");
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                List<String> lines = new ArrayList<>();
                for (byte[] line : c.reader()) {
                    lines.add(StreamReader.text(line));
                }
                assertThat(lines).containsExactly("a", "b", "c");
                c.close();
            }
            return null;
        });
    }

    @Test
    void halfCloseBothDirections() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                byte[] all = r.read(); // until the client's EOF
                w.write(("got " + all.length + " bytes").getBytes());
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                c.writer().write(new byte[100_000]);
                c.writer().writeEof();
                assertThat(new String(c.reader().read(), StandardCharsets.US_ASCII)).isEqualTo("got 100000 bytes");
                c.close();
            }
            return null;
        });
    }

    @Test
    void connectionRefusedAndPortInUseAreSpecificErrorsAndLeakNothing() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        long before = StrictLoop.openFds();
        StrictLoop.run(StrictLoop.realTime(), () -> {
            for (int i = 0; i < 20; i++) {
                assertThatThrownBy(() -> Net.openConnection("127.0.0.1", freePort)).isInstanceOf(ConnectException.class);
            }
            try (Server server = echoServer()) {
                assertThatThrownBy(() -> Net.startServer((r, w) -> { }, "127.0.0.1", server.port())).isInstanceOf(BindException.class);
            }
            assertThatThrownBy(() -> Net.openConnection("127.0.0.1", 70000)).isInstanceOf(IllegalArgumentException.class);
            return null;
        });
        if (before >= 0) {
            assertThat(StrictLoop.openFds()).isLessThanOrEqualTo(before + 2);
        }
    }

    @Test
    void peerResetMidStreamSurfacesAtTheReaderAndOthersAreUntouched() throws Exception {
        try (ServerSocket raw = new ServerSocket(0)) {
            Thread peer = Thread.ofPlatform().start(() -> {
                try (Socket s = raw.accept()) {
                    s.getOutputStream().write("partial".getBytes());
                    s.getOutputStream().flush();
                    Thread.sleep(100);
                    s.setSoLinger(true, 0); // close with RST
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            StrictLoop.run(StrictLoop.realTime(), () -> {
                try (Server echo = echoServer()) {
                    StreamPair other = Net.openConnection("127.0.0.1", echo.port());
                    StreamPair c = Net.openConnection("127.0.0.1", raw.getLocalPort());
                    assertThat(new String(c.reader().readExactly(7), StandardCharsets.US_ASCII)).isEqualTo("partial");
                    Throwable t = catchThrowableOfType(Exception.class, () -> {
                        c.reader().read(100);
                        c.writer().write(new byte[1 << 20]);
                        c.writer().drain();
                        c.reader().read(100);
                    });
                    assertThat(t).isInstanceOf(IOException.class);
                    // the other connection still works
                    other.writer().write("still here\n");
                    assertThat(StreamReader.text(other.reader().readline())).isEqualTo("still here");
                    other.close();
                    c.close();
                }
                return null;
            });
            peer.join();
        }
    }

    @Test
    void slowReaderKeepsTheWritersBufferBounded() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            int[] maxBuffered = {0};
            try (Server server = Net.startServer((r, w) -> {
                byte[] chunk = new byte[16 * 1024];
                for (int i = 0; i < 640; i++) { // 10 MiB
                    w.write(chunk);
                    maxBuffered[0] = Math.max(maxBuffered[0], w.transport().getWriteBufferSize());
                    w.drain();
                }
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port(), 64 * 1024);
                long total = 0;
                int maxReaderBuffer = 0;
                while (true) {
                    byte[] got = c.reader().read(8192);
                    if (got.length == 0) {
                        break;
                    }
                    total += got.length;
                    maxReaderBuffer = Math.max(maxReaderBuffer, c.reader().bufferedSize());
                    if (total % (1 << 20) < 8192) {
                        sleep(0.01); // slow consumer
                    }
                }
                assertThat(total).isEqualTo(10L << 20);
                // writer: at most the high-water mark (64 KiB) plus one chunk
                assertThat(maxBuffered[0]).isLessThanOrEqualTo(64 * 1024 + 16 * 1024);
                // reader: pauses the socket above twice its limit (plus one read of at most 256 KiB)
                assertThat(maxReaderBuffer).isLessThanOrEqualTo(2 * 64 * 1024 + 256 * 1024);
                c.close();
            }
            return null;
        });
    }

    @Test
    void concurrentReadsOnOneStreamAreRefused() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = echoServer()) {
                StreamPair c = Net.openConnection("127.0.0.1", server.port());
                Task<byte[]> first = createTask(() -> c.reader().read(10));
                sleep(0.05);
                assertThatThrownBy(() -> c.reader().read(10)).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already waiting");
                first.cancel();
                assertThatThrownBy(first::await).isInstanceOf(io.jasyncio.CancelledError.class);
                c.writer().write("x".getBytes());
                assertThat(c.reader().read(10)).containsExactly('x'); // the cancelled read consumed nothing
                c.close();
                assertThatThrownBy(() -> c.writer().write("after close")).isInstanceOf(IllegalStateException.class);
            }
            return null;
        });
    }

    @Test
    void handlerFailureClosesOnlyItsConnection() {
        List<io.jasyncio.ExceptionContext> reported = StrictLoop.runCollecting(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                byte[] line = r.readline();
                if (StreamReader.text(line).equals("boom")) {
                    throw new IllegalStateException("handler failed");
                }
                w.write(line);
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair bad = Net.openConnection("127.0.0.1", server.port());
                bad.writer().write("boom\n");
                assertThat(bad.reader().read()).isEmpty(); // closed by the server
                StreamPair good = Net.openConnection("127.0.0.1", server.port());
                good.writer().write("fine\n");
                assertThat(StreamReader.text(good.reader().readline())).isEqualTo("fine");
                bad.close();
                good.close();
            }
            return null;
        });
        assertThat(reported).singleElement().satisfies(ctx -> assertThat(ctx.exception()).hasMessage("handler failed"));
    }

    @Test
    void writeAndDrainInALoopToAFastReaderIsAFairSchedulingPoint() throws Exception {
        int chunks = 2000;
        byte[] chunk = new byte[1024];
        try (ServerSocket peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            long[] received = {0};
            Thread fastReader = Thread.ofPlatform().start(() -> {
                try (Socket s = peer.accept()) {
                    byte[] b = new byte[64 * 1024];
                    int n;
                    while ((n = s.getInputStream().read(b)) > 0) {
                        received[0] += n;
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            StrictLoop.run(StrictLoop.realTime(), () -> {
                StreamPair c = Net.openConnection("127.0.0.1", peer.getLocalPort());
                // drain() never has to wait: without being a scheduling point it would never suspend.
                c.writer().transport().setWriteBufferLimits(1 << 30, 1 << 29);
                int[] ticks = {0};
                boolean[] stop = {false};
                Task<Void> ticker = createTask(() -> {
                    while (!stop[0]) {
                        Asyncio.yieldNow();
                        ticks[0]++;
                    }
                    return null;
                });
                Asyncio.yieldNow(); // the ticker runs
                int before = ticks[0];
                for (int i = 0; i < chunks; i++) {
                    c.writer().write(chunk);
                    c.writer().drain();
                }
                int during = ticks[0] - before;
                stop[0] = true;
                ticker.await();
                assertThat(during).as("ticks while the writer wrote and drained %d times", chunks).isGreaterThanOrEqualTo(chunks / 2);
                c.writer().close();
                c.writer().waitClosed();
                return null;
            });
            fastReader.join();
            assertThat(received[0]).isEqualTo((long) chunks * chunk.length);
        }
    }

    @Test
    void drainYieldsOnlyWhenTheTaskHasNotSuspendedSinceItsPreviousDrain() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread reader = Thread.ofPlatform().start(() -> {
                try (Socket s = peer.accept()) {
                    s.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            StrictLoop.run(StrictLoop.realTime(), () -> {
                StreamPair c = Net.openConnection("127.0.0.1", peer.getLocalPort());
                io.jasyncio.EventLoop loop = Asyncio.getRunningLoop();
                c.writer().write(new byte[] {1});
                c.writer().drain();
                Asyncio.sleep(0.001); // the task gives the loop up, as a server does while it waits for the next request
                boolean[] ran = {false};
                loop.callSoon(() -> ran[0] = true);
                c.writer().write(new byte[] {2});
                c.writer().drain();
                assertThat(ran[0]).as("a drain right after a suspension returns without another switch").isFalse();
                c.writer().write(new byte[] {3});
                c.writer().drain();
                assertThat(ran[0]).as("a second drain with no suspension in between yields to the loop").isTrue();
                c.writer().close();
                c.writer().waitClosed();
                return null;
            });
            reader.join();
        }
    }
}
