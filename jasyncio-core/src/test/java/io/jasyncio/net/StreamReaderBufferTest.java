package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reader's buffer fast paths: a read that buffered bytes satisfy does not suspend; a read that
 * takes every buffered byte gets the reader's own array, which the reader then lets go of, and which
 * never aliases the transport's reused read buffer.
 */
@Timeout(60)
class StreamReaderBufferTest {

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void aReadThatBufferedBytesSatisfyReturnsWithoutSuspending() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("hello"));
            boolean[] ran = {false};
            loop.callSoon(() -> ran[0] = true);
            assertThat(text(reader.read(3))).isEqualTo("hel");
            assertThat(text(reader.read(100))).isEqualTo("lo");
            assertThat(ran[0]).as("no read gave the loop up").isFalse();
            return null;
        });
    }

    @Test
    void theArrayReturnedIsACopyOfTheFedBytesNotAViewOfTheFeedersBuffer() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            StreamReader reader = new StreamReader();
            ByteBuffer reused = ByteBuffer.allocateDirect(16); // as the transport's shared read buffer
            reused.put("abcd".getBytes(StandardCharsets.US_ASCII)).flip();
            reader.feedData(reused);
            reused.clear();
            reused.put("WXYZ".getBytes(StandardCharsets.US_ASCII)).flip(); // the transport reuses it
            byte[] all = reader.read(65536);
            assertThat(text(all)).isEqualTo("abcd");
            reader.feedData(reused);
            byte[] next = reader.read(65536);
            assertThat(text(next)).isEqualTo("WXYZ");
            assertThat(text(all)).as("the array handed over is not the reader's buffer any more").isEqualTo("abcd");
            return null;
        });
    }

    @Test
    void bytesFedAfterAPartialReadAreAppendedInOrder() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("0123"));
            assertThat(text(reader.read(2))).isEqualTo("01");
            reader.feedData(bytes("456"));
            reader.feedData(bytes("789"));
            assertThat(text(reader.readExactly(3))).isEqualTo("234");
            byte[] rest = reader.read(100);
            assertThat(text(rest)).isEqualTo("56789");
            reader.feedData(bytes("x"));
            assertThat(text(rest)).isEqualTo("56789");
            assertThat(text(reader.read(100))).isEqualTo("x");
            return null;
        });
    }

    @Test
    void aWaitingReadGetsTheChunkThatWakesIt() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            StreamReader reader = new StreamReader();
            Task<byte[]> read = Asyncio.createTask(() -> reader.read(65536));
            Asyncio.sleep(0.01);
            assertThat(read.done()).isFalse();
            reader.feedData(bytes("wake"));
            assertThat(text(read.await())).isEqualTo("wake");
            reader.feedData(bytes("more"));
            reader.feedEof();
            assertThat(text(reader.read(65536))).isEqualTo("more");
            assertThat(reader.read(65536)).isEmpty();
            return null;
        });
    }

    @Test
    void arraysKeptFromEarlierReadsOverASocketStayIntact() throws Exception {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            java.util.List<byte[]> kept = new java.util.ArrayList<>();
            io.jasyncio.Future<Void> gotAll = Asyncio.getRunningLoop().createFuture();
            int[] total = {0};
            try (Server server = Net.startServer((r, w) -> {
                while (true) {
                    byte[] b = r.read(65536);
                    if (b.length == 0) {
                        break;
                    }
                    kept.add(b);
                    total[0] += b.length;
                    w.write(new byte[] {1}); // the client sends the next message after this
                    w.drain();
                }
                gotAll.trySetResult(null);
            }, "127.0.0.1", 0)) {
                int port = server.port();
                Asyncio.toThread(() -> {
                    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                        for (char c = 'a'; c <= 'e'; c++) {
                            s.getOutputStream().write(String.valueOf(c).repeat(100).getBytes(StandardCharsets.US_ASCII));
                            s.getOutputStream().flush();
                            s.getInputStream().read();
                        }
                    }
                    return null;
                });
                gotAll.await();
            }
            StringBuilder all = new StringBuilder();
            kept.forEach(b -> all.append(text(b)));
            assertThat(all.toString()).isEqualTo("a".repeat(100) + "b".repeat(100) + "c".repeat(100) + "d".repeat(100) + "e".repeat(100));
            return null;
        });
    }
}
