package io.jasyncio.net;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.IncompleteReadException;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stream contract (trio's {@code check_one_way_stream} / {@code check_two_way_stream}): every
 * transport that offers a {@link StreamReader}/{@link StreamWriter} pair passes the same behaviours.
 * One subclass per transport (TCP, Unix sockets, TLS, subprocess pipes) says how to open one
 * direction of a stream; every test here runs over it, under both engines.
 *
 * <p>The behaviours: bytes arrive whole and in order; a half-close (or close, where the transport
 * cannot half-close) delivers the end after the data; the end is sticky; closing the receiving end
 * ends a pending read instead of hanging it; large transfers arrive intact; a reader that does not
 * read makes the writer's {@code drain()} wait and keeps its own buffer bounded; a cancelled read or
 * drain loses no byte; the same for {@code read(ByteBuffer)} into one reused buffer.
 */
@Timeout(120)
public abstract class AbstractStreamContractTest {

    /**
     * One direction of a stream: bytes written to {@code sender} arrive at {@code receiver}; for a two-way
     * stream also the way back, from {@code replier} to {@code replyReader} (both null for a one-way one).
     * @param closeReceiver ends the receiving side (its transport closes, or its peer goes away)
     * @param cleanup       releases everything, on the loop
     */
    protected record Ends(StreamWriter sender, StreamReader receiver, Runnable closeReceiver, Cleanup cleanup,
                          StreamWriter replier, StreamReader replyReader) {
        /** A one-way stream. */
        protected Ends(StreamWriter sender, StreamReader receiver, Runnable closeReceiver, Cleanup cleanup) {
            this(sender, receiver, closeReceiver, cleanup, null, null);
        }
    }

    @FunctionalInterface
    protected interface Cleanup {
        void run() throws Exception;
    }

    /** Opens one stream; runs inside a task of a real-time loop. */
    protected abstract Ends open() throws Exception;

    @FunctionalInterface
    private interface Body {
        void run(Ends ends) throws Exception;
    }

    private void withStream(Body body) {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Ends ends = open();
            try {
                body.run(ends);
            } finally {
                ends.cleanup().run();
            }
            return null;
        });
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Half-closes where the transport can, else closes: either way the receiver then sees the end. */
    private static void endSending(StreamWriter w) {
        if (w.canWriteEof()) {
            w.writeEof();
        } else {
            w.close();
        }
    }

    private static void writeInChunks(StreamWriter w, byte[] data, int chunk) throws IOException {
        for (int off = 0; off < data.length; off += chunk) {
            w.write(Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk)));
            w.drain();
        }
    }

    @Test
    void bytesArriveWholeAndInOrder() {
        withStream(e -> {
            e.sender().write("one ");
            e.sender().write("two ".getBytes(StandardCharsets.UTF_8));
            e.sender().writeLines(java.util.List.of("three\n".getBytes(StandardCharsets.UTF_8), "four\n".getBytes(StandardCharsets.UTF_8)));
            e.sender().drain();
            assertThat(StreamReader.text(e.receiver().readline())).isEqualTo("one two three");
            assertThat(e.receiver().readExactly(5)).isEqualTo("four\n".getBytes(StandardCharsets.UTF_8));
        });
    }

    @Test
    void endOfSendingArrivesAfterTheData() {
        withStream(e -> {
            e.sender().write("last words");
            e.sender().drain();
            endSending(e.sender());
            assertThat(new String(e.receiver().read(), StandardCharsets.UTF_8)).isEqualTo("last words");
            assertThat(e.receiver().atEof()).isTrue();
        });
    }

    @Test
    void aHalfCloseKeepsTheWayBackOpen() {
        withStream(e -> {
            org.junit.jupiter.api.Assumptions.assumeTrue(e.replier() != null && e.sender().canWriteEof(),
                    "a two-way stream that can half-close");
            e.sender().write("question");
            e.sender().writeEof();
            assertThat(new String(e.receiver().read(), StandardCharsets.UTF_8)).isEqualTo("question");
            byte[] answer = random(1 << 20, 4);
            Task<byte[]> reading = createTask(() -> e.replyReader().read()); // more than the buffers on the way hold
            e.replier().write(answer);
            e.replier().drain();
            e.replier().writeEof();
            byte[] got = reading.await();
            assertThat(Arrays.equals(got, answer)).as("1 MiB back after the half-close").isTrue();
        });
    }

    @Test
    void theEndIsSticky() {
        withStream(e -> {
            e.sender().write("abc");
            e.sender().drain();
            endSending(e.sender());
            assertThat(e.receiver().readExactly(2)).isEqualTo("ab".getBytes(StandardCharsets.UTF_8));
            IncompleteReadException incomplete = org.assertj.core.api.Assertions.catchThrowableOfType(
                    IncompleteReadException.class, () -> e.receiver().readExactly(5));
            assertThat(incomplete.partial()).isEqualTo("c".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                assertThat(e.receiver().read(100)).isEmpty();
                assertThat(e.receiver().readline()).isEmpty();
            }
            assertThat(e.receiver().atEof()).isTrue();
        });
    }

    @Test
    void closingTheReceivingEndEndsAPendingRead() {
        withStream(e -> {
            Task<byte[]> reading = createTask(() -> e.receiver().read(100));
            sleep(0.02); // the read is waiting
            assertThat(reading.done()).isFalse();
            e.closeReceiver().run();
            byte[] got = Asyncio.waitFor(() -> {
                try {
                    return reading.await();
                } catch (RuntimeException failed) {
                    return new byte[0]; // an error is an acceptable end too; a hang is not
                }
            }, Duration.ofSeconds(30));
            assertThat(got).isEmpty();
        });
    }

    @Test
    void largeTransfersArriveIntact() {
        withStream(e -> {
            byte[] data = random(8 << 20, 1);
            Task<Void> writer = createTask(() -> {
                writeInChunks(e.sender(), data, 100_000);
                endSending(e.sender());
                return null;
            });
            byte[] got = e.receiver().readExactly(data.length);
            writer.await();
            assertThat(Arrays.equals(got, data)).as("8 MiB arrived intact").isTrue();
            assertThat(e.receiver().read()).isEmpty();
        });
    }

    @Test
    void largeTransfersThroughOneReusedBufferEachWayArriveIntact() {
        withStream(e -> {
            byte[] data = random(8 << 20, 4);
            Task<Void> writer = createTask(() -> {
                ByteBuffer out = ByteBuffer.allocateDirect(100_000); // reused: write copies what it keeps
                for (int off = 0; off < data.length; off += out.capacity()) {
                    out.clear().put(data, off, Math.min(out.capacity(), data.length - off)).flip();
                    e.sender().write(out);
                    e.sender().drain();
                }
                endSending(e.sender());
                return null;
            });
            ByteBuffer reused = ByteBuffer.allocate(3000); // not a divisor of anything on the way
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream(data.length);
            int n;
            while ((n = e.receiver().read(reused.clear())) >= 0) {
                assertThat(n).as("at least one byte per read before the end").isPositive();
                got.write(reused.array(), 0, n);
            }
            writer.await();
            assertThat(Arrays.equals(got.toByteArray(), data)).as("8 MiB arrived intact").isTrue();
            assertThat(e.receiver().read(reused.clear())).as("the end is sticky").isEqualTo(-1);
        });
    }

    @Test
    void aReaderThatDoesNotReadMakesDrainWaitAndStaysBounded() {
        withStream(e -> {
            byte[] data = random(48 << 20, 2); // more than every buffer on the way can hold
            int[] written = {0};
            Task<Void> writer = createTask(() -> {
                for (int off = 0; off < data.length; off += 64 * 1024) {
                    e.sender().write(Arrays.copyOfRange(data, off, Math.min(data.length, off + 64 * 1024)));
                    e.sender().drain();
                    written[0] = Math.min(data.length, off + 64 * 1024);
                }
                endSending(e.sender());
                return null;
            });
            sleep(0.3); // nobody reads meanwhile
            assertThat(writer.done()).as("the writer waits in drain() for the reader").isFalse();
            assertThat(written[0]).isLessThan(data.length);
            assertThat(e.receiver().bufferedSize()).as("the reader's buffer stays near its limit")
                    .isLessThanOrEqualTo(2 * StreamReader.DEFAULT_LIMIT + 256 * 1024);
            byte[] got = e.receiver().readExactly(data.length);
            writer.await();
            assertThat(Arrays.equals(got, data)).isTrue();
        });
    }

    @Test
    void aCancelledReadLosesNoByte() {
        withStream(e -> {
            Task<byte[]> reading = createTask(() -> e.receiver().readExactly(10));
            e.sender().write("01234");
            e.sender().drain();
            while (e.receiver().bufferedSize() < 5) { // the half has arrived while the read waits
                sleep(0.005);
            }
            reading.cancel();
            assertThatThrownBy(reading::await).isInstanceOf(CancelledError.class);
            e.sender().write("56789");
            e.sender().drain();
            assertThat(new String(e.receiver().readExactly(10), StandardCharsets.UTF_8)).isEqualTo("0123456789");
        });
    }

    @Test
    void aCancelledReadIntoABufferLosesNoByte() {
        withStream(e -> {
            ByteBuffer dst = ByteBuffer.allocate(10);
            Task<Integer> reading = createTask(() -> e.receiver().read(dst));
            e.sender().write("01234");
            e.sender().drain();
            while (dst.position() == 0) { // the bytes went straight into the waiting read's buffer
                Asyncio.yieldNow();
            }
            reading.cancel(); // before the reading task runs again (the yield loop resumes first)
            assertThatThrownBy(reading::await).isInstanceOf(CancelledError.class);
            assertThat(dst.position()).isZero();
            e.sender().write("56789");
            e.sender().drain();
            assertThat(new String(e.receiver().readExactly(10), StandardCharsets.UTF_8)).isEqualTo("0123456789");
        });
    }

    @Test
    void aCancelledDrainLosesNoByte() {
        withStream(e -> {
            byte[] data = random(24 << 20, 3);
            Task<Void> draining = createTask(() -> {
                e.sender().write(data); // far above the high-water mark: drain has to wait
                e.sender().drain();
                return null;
            });
            sleep(0.1);
            assertThat(draining.done()).as("drain waits: nobody reads").isFalse();
            draining.cancel();
            assertThatThrownBy(draining::await).isInstanceOf(CancelledError.class);
            e.sender().write("tail");
            Task<Void> finishing = createTask(() -> {
                e.sender().drain();
                endSending(e.sender());
                return null;
            });
            byte[] got = e.receiver().readExactly(data.length + 4);
            finishing.await();
            assertThat(Arrays.equals(Arrays.copyOf(got, data.length), data)).isTrue();
            assertThat(new String(got, data.length, 4, StandardCharsets.UTF_8)).isEqualTo("tail");
        });
    }
}
