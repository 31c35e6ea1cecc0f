package io.jasyncio.process;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.internal.LoopCloseHooks;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.StreamReaderProtocol;
import io.jasyncio.net.StreamWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Blocking byte streams as jasyncio streams: asyncio's {@code loop.connect_read_pipe} and
 * {@code connect_write_pipe} with a {@link StreamReader} / {@link StreamWriter} on top, so that a
 * line-based command-line tool reads its standard input and writes its standard output without
 * blocking the loop.
 *
 * <pre>{@code
 * StreamReader in = Pipes.stdin();
 * StreamWriter out = Pipes.stdout();
 * for (byte[] line : in) {                  // suspends; other tasks run meanwhile
 *     out.write(StreamReader.text(line).toUpperCase() + "\n");
 *     out.drain();                          // waits while a slow consumer (a pipe to `less`) is behind
 * }
 * out.close();                              // System.out itself stays open
 * out.waitClosed();                         // everything written before the program ends
 * }</pre>
 *
 * <p>How: as for a child's pipes ({@link Process}), one daemon platform thread per stream does the
 * blocking reads or writes and hands over to the loop; the reader pauses the thread above its limit
 * (bounded memory), and the writer's buffered byte count drives {@link StreamWriter#drain()}.
 *
 * <p>Lifetime: closing the writer flushes and closes the stream (for {@link #stdout()} and
 * {@link #stderr()}: flushes only), and {@link StreamWriter#waitClosed()} returns once all of it is
 * written; a writer still open when its loop closes is closed the same way, so its thread ends
 * (await {@code waitClosed()} before the program ends, or output still queued may be cut short). A reader's thread ends at the end of its stream; a thread blocked reading a terminal
 * or a pipe that never ends stays blocked (a daemon: it does not keep the JVM alive), since a blocked
 * {@code read} of a file descriptor cannot be interrupted.
 *
 * <p>Threading: call from a task; the streams are loop-confined like every stream.
 */
public final class Pipes {
    private Pipes() {}

    /** A reader fed from {@code in} (asyncio's {@code connect_read_pipe}), with the default limit. */
    public static StreamReader connectReadPipe(InputStream in) {
        return connectReadPipe(in, StreamReader.DEFAULT_LIMIT);
    }

    /** A reader fed from {@code in}, buffering at most about {@code limit} bytes ahead of the task. */
    public static StreamReader connectReadPipe(InputStream in, int limit) {
        Objects.requireNonNull(in, "in");
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, not " + limit);
        }
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader r = new StreamReader(limit);
        PipeReaderPump pump = new PipeReaderPump(loop, in, r, "jasyncio-read-pipe");
        r.attach(pump);
        pump.start();
        return r;
    }

    /** A writer onto {@code out} (asyncio's {@code connect_write_pipe}); closing it closes {@code out}. */
    public static StreamWriter connectWritePipe(OutputStream out) {
        Objects.requireNonNull(out, "out");
        EventLoop loop = Asyncio.getRunningLoop();
        PipeWriterTransport t = new PipeWriterTransport(loop, out, "jasyncio-write-pipe");
        t.watchForLeak("write pipe"); // before the close hook below, so a leak is reported before that hook closes it
        StreamReaderProtocol proto = new StreamReaderProtocol(new StreamReader());
        t.start(proto);
        LoopCloseHooks.add(loop, t::close); // what was written is still flushed; a no-op once closed
        return proto.writer();
    }

    /** This process's standard input ({@link System#in}) as a reader. */
    public static StreamReader stdin() {
        return connectReadPipe(System.in);
    }

    /** This process's standard output ({@link System#out}) as a writer; closing it flushes but leaves System.out open. */
    public static StreamWriter stdout() {
        return connectWritePipe(keepOpen(System.out));
    }

    /** This process's standard error ({@link System#err}) as a writer; closing it flushes but leaves System.err open. */
    public static StreamWriter stderr() {
        return connectWritePipe(keepOpen(System.err));
    }

    private static OutputStream keepOpen(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
