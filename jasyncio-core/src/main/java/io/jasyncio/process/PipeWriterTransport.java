package io.jasyncio.process;

import io.jasyncio.EventLoop;
import io.jasyncio.internal.LoopPost;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Transport;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The child's stdin as a {@link Transport}: writes are queued and a daemon platform thread does
 * the blocking writes. The queued byte count drives the protocol's {@code pauseWriting} /
 * {@code resumeWriting} (so {@code StreamWriter.drain()} waits for a slow child), updated on the
 * loop after each chunk is written.
 *
 * <p>Threading: {@code write}, {@code close} and the counters are loop-confined; the writer thread
 * only takes from the blocking queue and posts back with {@code callSoonThreadsafe}.
 */
final class PipeWriterTransport implements Transport, Runnable {
    private static final ByteBuffer EOF = ByteBuffer.allocate(0);

    private final EventLoop loop;
    private final OutputStream out;
    private final LinkedBlockingQueue<ByteBuffer> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private Protocol protocol;
    private int buffered;
    private int high = 64 * 1024, low = 16 * 1024;
    private boolean paused, closing, lost;

    PipeWriterTransport(EventLoop loop, OutputStream out, String name) {
        this.loop = loop;
        this.out = out;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this);
    }

    void start(Protocol protocol) {
        this.protocol = protocol;
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
        buffered -= n;
        if (paused && buffered <= low) {
            paused = false;
            protocol.resumeWriting();
        }
    }

    private void lost(Throwable exc) {
        if (!lost) {
            lost = true;
            queue.clear();
            buffered = 0;
            protocol.connectionLost(exc);
        }
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
        buffered += copy.remaining();
        queue.add(copy);
        if (!paused && buffered > high) {
            paused = true;
            protocol.pauseWriting();
        }
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
        if (!closing) {
            closing = true;
            queue.add(EOF);
        }
    }

    @Override
    public void abort() {
        closing = true;
        queue.clear();
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
        if (high < 0 || low < 0 || low > high) {
            throw new IllegalArgumentException("need 0 <= low <= high, got high=" + high + ", low=" + low);
        }
        this.high = high;
        this.low = low;
    }

    @Override
    public int getWriteBufferSize() {
        return buffered;
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
