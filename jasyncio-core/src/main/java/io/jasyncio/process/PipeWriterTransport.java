package io.jasyncio.process;

import io.jasyncio.EventLoop;
import io.jasyncio.internal.ResourceLeak;
import io.jasyncio.internal.LoopPost;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Transport;
import io.jasyncio.net.WriteFlowControl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The child's stdin as a {@link Transport}: writes are queued and a daemon platform thread does
 * the blocking writes. The queued byte count drives the protocol's {@code pauseWriting} /
 * {@code resumeWriting} through the shared {@link WriteFlowControl} (so {@code StreamWriter.drain()}
 * waits for a slow child), updated on the loop after each chunk is written.
 *
 * <h2>States</h2>
 * <pre>
 *  state   | write()           | the writer thread                         | next
 *  OPEN    | queued            | writes what is queued                     | CLOSING (close, writeEof, abort, child exited), LOST (broken pipe)
 *  CLOSING | refused           | writes what is queued, then closes stdin  | LOST
 *  LOST    | dropped           | gone; connectionLost called once          | -
 * </pre>
 * Invariants: (1) the writer thread ends once the queue holds {@code EOF}, which {@link #close()},
 * {@link #abort()} and the child's exit ({@link #childExited()}) each put there, so no thread outlives
 * its child (a child that exits without anyone closing its stdin used to leave the thread parked
 * forever); (2) after {@code abort()} or the loss, late progress reports from the thread are ignored.
 *
 * <p>Threading: {@code write}, {@code close} and the counters are loop-confined; the writer thread
 * only takes from the blocking queue and posts back with {@code callSoonThreadsafe};
 * {@link #childExited()} may be called from any thread.
 */
final class PipeWriterTransport implements Transport, Runnable {
    private static final ByteBuffer EOF = ByteBuffer.allocate(0);

    private final EventLoop loop;
    private final OutputStream out;
    private final LinkedBlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private Protocol protocol;
    private WriteFlowControl flow;
    private boolean closing, aborted, lost;
    /** Debug mode's leak report for a write pipe ({@link Pipes}); a child's stdin is covered by its Process. */
    private ResourceLeak leak = ResourceLeak.untracked();

    PipeWriterTransport(EventLoop loop, OutputStream out, String name) {
        this.loop = loop;
        this.out = out;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this);
    }

    /** Reports this transport if it is never closed (debug mode); call before any close hook is added. */
    void watchForLeak(String what) {
        leak = ResourceLeak.track(loop, this, what);
    }

    void start(Protocol protocol) {
        this.protocol = protocol;
        this.flow = new WriteFlowControl(loop, protocol::pauseWriting, protocol::resumeWriting);
        protocol.connectionMade(this);
        thread.start();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            while (true) {
                ByteBuffer b = queue.take();
                if (b == EOF) {
                    break;
                }
                int n = b.remaining();
                out.write(b.array(), b.arrayOffset() + b.position(), n);
                out.flush();
                post(() -> written(n));
            }
        } catch (IOException e) {
            failure = e; // the child closed its stdin (broken pipe)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                out.close();
            } catch (IOException ignored) {
                // already broken
            }
        }
        Throwable f = failure;
        post(() -> lost(f));
    }

    private void post(Runnable r) {
        LoopPost.postIfOpen(loop, r); // a closed loop has nobody listening any more
    }

    private void written(int n) {
        if (!aborted && !lost) {
            flow.remove(n);
        }
    }

    private void lost(Throwable exc) {
        if (!lost) {
            lost = true;
            leak.released(); // the reader went away: nothing left to close
            queue.clear();
            flow.clear();
            protocol.connectionLost(exc);
        }
    }

    /**
     * The child is gone: let the writer thread finish what is queued (a dead reader makes those
     * writes fail at once) and end. Any thread.
     */
    void childExited() {
        queue.add(EOF);
    }

    @Override
    public void write(ByteBuffer data) {
        if (closing) {
            throw new IllegalStateException("write() after close(): the child's stdin is closed");
        }
        if (lost || !data.hasRemaining()) {
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        queue.add(copy);
        flow.add(copy.remaining());
    }

    @Override
    public void writeEof() {
        close();
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public void close() {
        leak.released();
        if (!closing) {
            closing = true;
            queue.add(EOF);
        }
    }

    @Override
    public void abort() {
        leak.released();
        closing = true;
        aborted = true;
        queue.clear();
        flow.clear();
        queue.add(EOF);
    }

    @Override
    public boolean isClosing() {
        return closing || lost;
    }

    @Override
    public void pauseReading() {
        throw new UnsupportedOperationException("a child's stdin cannot be read");
    }

    @Override
    public void resumeReading() {
        throw new UnsupportedOperationException("a child's stdin cannot be read");
    }

    @Override
    public boolean isReading() {
        return false;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        flow.setLimits(high, low);
    }

    @Override
    public int getWriteBufferSize() {
        return flow.size();
    }

    @Override
    public Object getExtraInfo(String name) {
        return null;
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }
}
