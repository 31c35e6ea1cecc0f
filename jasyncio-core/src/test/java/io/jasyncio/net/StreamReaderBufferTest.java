package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.EventLoop;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The reader's buffer fast paths: a read that buffered bytes satisfy does not suspend; a read that
 * takes every buffered byte gets the reader's own array, which the reader then lets go of, and which
 * never aliases the transport's reused read buffer; a {@code read(ByteBuffer)} that waits gets the
 * arriving bytes straight into its buffer, and gives them back when it is cancelled or the stream fails.
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

    private static String text(ByteBuffer b) {
        ByteBuffer view = b.duplicate().flip();
        byte[] out = new byte[view.remaining()];
        view.get(out);
        return text(out);
    }

    @Test
    void aReadIntoABufferTakesWhatIsBufferedWithoutSuspendingAndLeavesTheRest() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            EventLoop loop = Asyncio.getRunningLoop();
            StreamReader reader = new StreamReader();
            reader.feedData(bytes("hello world"));
            boolean[] ran = {false};
            loop.callSoon(() -> ran[0] = true);
            ByteBuffer dst = ByteBuffer.allocate(5);
            assertThat(reader.read(dst)).isEqualTo(5);
            assertThat(text(dst)).isEqualTo("hello");
            assertThat(reader.read(dst)).as("no room: 0 at once, as a channel").isZero();
            assertThat(ran[0]).as("no read gave the loop up").isFalse();
            assertThat(text(reader.read(100))).isEqualTo(" world");
            return null;
        });
    }

    @Test
    void aWaitingReadIntoABufferGetsTheBytesStraightInAndTheRestIsBufferedAfterThem() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            StreamReader reader = new StreamReader();
            ByteBuffer dst = ByteBuffer.allocateDirect(4);
            Task<Integer> read = Asyncio.createTask(() -> reader.read(dst));
            Asyncio.sleep(0.01);
            assertThat(read.done()).isFalse();
            reader.feedData(bytes("ab"));
            assertThat(reader.bufferedSize()).as("copied into the waiting read's buffer, not the reader's").isZero();
            reader.feedData(bytes("cdefg")); // room for two more; three wait in the reader, after them
            reader.feedData(bytes("h"));
            assertThat(read.await()).isEqualTo(4);
            assertThat(text(dst)).isEqualTo("abcd");
            assertThat(text(reader.read(100))).isEqualTo("efgh");
            reader.feedEof();
            dst.clear();
            assertThat(reader.read(dst)).as("the end").isEqualTo(-1);
            assertThat(reader.read(dst)).as("the end is sticky").isEqualTo(-1);
            return null;
        });
    }

    @Test
    void aCancelledReadIntoABufferGivesItsBytesBackInOrderAndPutsThePositionBack() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            StreamReader reader = new StreamReader();
            ByteBuffer dst = ByteBuffer.allocate(8);
            dst.put((byte) '>');
            Task<Integer> read = Asyncio.createTask(() -> reader.read(dst));
            Asyncio.sleep(0.01);
            reader.feedData(bytes("0123456789")); // 7 straight into dst, 3 buffered
            read.cancel(); // in the same turn: the task has not run since its bytes arrived
            assertThatThrownBy(read::await).isInstanceOf(CancelledError.class);
            assertThat(dst.position()).as("the position is put back").isEqualTo(1);
            reader.feedData(bytes("ab"));
            assertThat(text(reader.readExactly(12))).as("no byte lost, none reordered").isEqualTo("0123456789ab");
            return null;
        });
    }

    @Test
    void aReadIntoABufferThatFailsGivesItsBytesBackAndThrows() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            StreamReader reader = new StreamReader();
            ByteBuffer dst = ByteBuffer.allocate(8);
            Task<Integer> read = Asyncio.createTask(() -> reader.read(dst));
            Asyncio.sleep(0.01);
            reader.feedData(bytes("abc"));
            IOException reset = new IOException("connection reset by peer");
            reader.setException(reset);
            assertThatThrownBy(read::await).isSameAs(reset);
            assertThat(dst.position()).isZero();
            assertThat(reader.bufferedSize()).as("the bytes are the reader's again").isEqualTo(3);
            return null;
        });
    }

    @Test
    void aReadIntoABufferRejectsBadInputAtTheCall() {
        StrictLoop.run(StrictLoop.virtualTime(), () -> {
            StreamReader reader = new StreamReader();
            assertThatThrownBy(() -> reader.read((ByteBuffer) null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("dst");
            assertThatThrownBy(() -> reader.read(ByteBuffer.allocate(4).asReadOnlyBuffer()))
                    .isInstanceOf(ReadOnlyBufferException.class);
            ByteBuffer first = ByteBuffer.allocate(4);
            Task<Integer> waiting = Asyncio.createTask(() -> reader.read(first));
            Asyncio.sleep(0.01);
            ByteBuffer second = ByteBuffer.allocate(4);
            assertThatThrownBy(() -> reader.read(second))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("another task is already waiting");
            reader.feedData(bytes("xy"));
            assertThat(waiting.await()).as("the first read still gets the bytes").isEqualTo(2);
            assertThat(text(first)).isEqualTo("xy");
            assertThat(second.position()).isZero();
            return null;
        });
    }
}
