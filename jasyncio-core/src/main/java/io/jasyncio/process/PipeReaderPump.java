package io.jasyncio.process;

import io.jasyncio.EventLoop;
import io.jasyncio.internal.LoopPost;
import io.jasyncio.net.StreamReader;
import io.jasyncio.net.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves a child's output pipe into a {@link StreamReader}: a daemon platform thread does the
 * blocking reads (Java's process pipes cannot be selected on) and hands each chunk to the loop
 * with {@code callSoonThreadsafe}. No busy loop: the thread is blocked in {@code read} or parked.
 *
 * <p>Backpressure: the reader pauses its "transport" (this object) above twice its limit; the
 * pump then parks before its next read until the loop resumes it, so a child that writes
 * megabytes faster than the task reads fills the pipe and blocks, instead of filling memory.
 *
 * <p>Threading: {@link #pauseReading}/{@link #resumeReading} run on the loop; the pump thread
 * reads only the volatile {@code paused} flag.
 */
final class PipeReaderPump implements Transport, Runnable {
    private static final int CHUNK = 64 * 1024;

    private final EventLoop loop;
    private final InputStream in;
    private final StreamReader reader;
    private final Thread thread;
    private volatile boolean paused;
    /**
     * One chunk at most on its way to the loop: the pump reads the next only after the loop fed the last
     * to the reader, so a busy loop cannot let the reader's buffer grow past its pause threshold by more
     * than one chunk (the pause flag is set by the loop, and only when it has run the feed).
     */
    private final java.util.concurrent.Semaphore delivered = new java.util.concurrent.Semaphore(1);
    /** Closed by the loop: the reader got its EOF then, and the thread reports nothing more. */
    private volatile boolean closed;

    PipeReaderPump(EventLoop loop, InputStream in, StreamReader reader, String name) {
        this.loop = loop;
        this.in = in;
        this.reader = reader;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this);
    }

    void start() {
        thread.start();
    }

    @Override
    public void run() {
        // Two buffers take turns, with no copy per chunk: the loop copies a chunk out of one
        // (feedData keeps nothing it is handed) while this thread reads the next into the other.
        // A buffer is read into again only after the wait for the feed of the chunk it held.
        byte[][] buffers = {new byte[CHUNK], new byte[CHUNK]};
        int turn = 0;
        try {
            while (true) {
                while (paused) {
                    LockSupport.park(this);
                }
                byte[] chunk = buffers[turn];
                int n = in.read(chunk);
                if (n < 0) {
                    break;
                }
                if (!awaitDelivery()) { // the previous chunk, in the other buffer, has been fed
                    break;
                }
                ByteBuffer data = ByteBuffer.wrap(chunk, 0, n);
                post(() -> {
                    try {
                        reader.feedData(data);
                    } finally {
                        delivered.release();
                    }
                });
                turn ^= 1;
            }
            post(reader::feedEof);
        } catch (IOException e) {
            post(() -> reader.setException(e));
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // the pipe is finished either way
            }
        }
    }

    /** Waits until the previous chunk reached the reader; false if the pipe or the loop closed meanwhile. */
    private boolean awaitDelivery() {
        try {
            while (!delivered.tryAcquire(50, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (closed || loop.isClosed()) {
                    return false; // the feed will never run: nobody reads any more
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void post(Runnable r) {
        if (!closed) {
            LoopPost.postIfOpen(loop, () -> {
                if (!closed) {
                    r.run();
                }
            }); // a closed loop has nobody reading any more
        }
    }

    @Override
    public void pauseReading() {
        paused = true;
    }

    @Override
    public void resumeReading() {
        paused = false;
        LockSupport.unpark(thread);
    }

    @Override
    public boolean isReading() {
        return !paused;
    }

    // A read-only pipe: the writing half of Transport does not apply.

    @Override
    public void write(ByteBuffer data) {
        throw new UnsupportedOperationException("a child's output pipe cannot be written to");
    }

    @Override
    public void writeEof() {
        throw new UnsupportedOperationException("a child's output pipe cannot be written to");
    }

    @Override
    public boolean canWriteEof() {
        return false;
    }

    /**
     * Closes our end of the pipe; a task waiting in a read of the reader gets the end of the stream
     * at once (the pump thread may stay blocked in the pipe's read until the child writes or exits).
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        reader.feedEof();
        resumeReading();
        try {
            in.close();
        } catch (IOException ignored) {
            // closing our end of the pipe: nothing to report
        }
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public boolean isClosing() {
        return closed;
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        throw new UnsupportedOperationException("a child's output pipe cannot be written to");
    }

    @Override
    public int getWriteBufferSize() {
        return 0;
    }

    @Override
    public Object getExtraInfo(String name) {
        return null;
    }

    @Override
    public io.jasyncio.net.Protocol getProtocol() {
        return null;
    }
}
