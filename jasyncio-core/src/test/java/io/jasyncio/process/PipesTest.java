package io.jasyncio.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamWriter;
import io.jasyncio.test.StrictLoop;
import io.jasyncio.testsupport.ChildJvm;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blocking streams (standard input and output) as jasyncio streams: a line-based CLI works. */
@Timeout(120)
class PipesTest {

    @Test
    void aLineBasedToolInAChildJvmAnswersEachLineAndEndsAtEof() throws Exception {
        try (ChildJvm child = ChildJvm.start(StdioChild.class, 0)) {
            child.expect("ready", 60);
            child.send("hello");
            assertThat(child.expect("HELLO", 30)).startsWith("HELLO ticks=");
            Thread.sleep(50); // let the child's ticker run while it waits for input
            child.send("second line");
            String answer = child.expect("SECOND LINE", 30);
            assertThat(Long.parseLong(answer.substring(answer.indexOf('=') + 1)))
                    .as("the loop ran other tasks while the tool waited for input").isPositive();
            child.send("big 200000"); // more than a pipe holds: drain() waits for us
            assertThat(child.expect("xxx", 30)).hasSize(200_000);
            child.process().getOutputStream().close(); // end of input
            child.expect("eof", 30);
            assertThat(child.waitFor()).isZero();
        }
    }

    @Test
    void aReadPipeGivesLinesThenTheEnd() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            StreamReader r = Pipes.connectReadPipe(new ByteArrayInputStream("one\ntwo\nthree".getBytes(StandardCharsets.UTF_8)));
            List<String> lines = new ArrayList<>();
            for (byte[] l : r) {
                lines.add(StreamReader.text(l));
            }
            assertThat(lines).containsExactly("one", "two", "three");
            assertThat(r.atEof()).isTrue();
            return null;
        });
    }

    /** The byte at {@code i} of the patterned stream below: no two neighbouring 64 KiB chunks alike. */
    private static byte patterned(long i) {
        return (byte) (i * 31 + (i >>> 16) * 7);
    }

    /**
     * Several MiB through a read pipe, in reads of every size, to a reader that lags (it yields and
     * takes small pieces): every byte arrives once and in order, so the pump reuses a chunk of its
     * own only once the loop has copied it out.
     */
    @Test
    void aLongPatternedStreamArrivesByteForByteWhileTheReaderLags() {
        long total = 6L << 20;
        java.io.InputStream source = new java.io.InputStream() {
            private long at;
            private int call;

            @Override
            public int read() {
                return at < total ? patterned(at++) & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (at >= total) {
                    return -1;
                }
                int n = (int) Math.min(Math.min(len, 1 + (call++ * 7919) % len), total - at); // every size up to len
                for (int k = 0; k < n; k++) {
                    b[off + k] = patterned(at++);
                }
                return n;
            }
        };
        StrictLoop.run(StrictLoop.realTime(), () -> {
            StreamReader r = Pipes.connectReadPipe(source, 16 * 1024);
            long received = 0;
            int reads = 0;
            while (true) {
                byte[] got = r.read(1 + (reads++ * 104729) % 50_000);
                if (got.length == 0) {
                    break;
                }
                for (byte b : got) {
                    if (b != patterned(received)) {
                        throw new AssertionError("byte " + received + " is " + b + ", not " + patterned(received));
                    }
                    received++;
                }
                if (reads % 3 == 0) {
                    io.jasyncio.Asyncio.yieldNow(); // lag behind the pump
                }
            }
            assertThat(received).isEqualTo(total);
            return null;
        });
    }

    @Test
    void aWritePipeDeliversEverythingByWaitClosedAndClosesItsStream() {
        boolean[] closed = new boolean[1];
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        StrictLoop.run(StrictLoop.realTime(), () -> {
            StreamWriter w = Pipes.connectWritePipe(sink);
            for (int i = 0; i < 1000; i++) {
                w.write("line " + i + "\n");
            }
            w.drain();
            w.close();
            w.waitClosed();
            return null;
        });
        assertThat(sink.toString(StandardCharsets.UTF_8).lines()).hasSize(1000).endsWith("line 999");
        assertThat(closed[0]).isTrue();
    }

    @Test
    void aFailingOutputStreamReachesTheWriter() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            StreamWriter w = Pipes.connectWritePipe(new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    throw new IOException("Broken pipe");
                }
            });
            w.write("lost\n");
            assertThatThrownBy(() -> {
                for (int i = 0; i < 100; i++) {
                    w.drain();
                    io.jasyncio.Asyncio.sleep(0.01);
                    w.write("more\n");
                }
            }).isInstanceOf(IOException.class);
            w.close();
            return null;
        });
    }

    @Test
    void badArgumentsFailAtTheCall() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            assertThatThrownBy(() -> Pipes.connectReadPipe(null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> Pipes.connectReadPipe(new ByteArrayInputStream(new byte[0]), 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Pipes.connectWritePipe(null)).isInstanceOf(NullPointerException.class);
            return null;
        });
    }
}
