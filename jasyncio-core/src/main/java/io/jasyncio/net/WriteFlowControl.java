package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The write flow control every transport shares: asyncio's {@code _FlowControlMixin}, by composition.
 * A transport owns one, reports every byte it buffers ({@link #add}) and every byte that leaves the
 * buffer ({@link #remove}), and the flow control tells the protocol to pause above the high-water mark
 * and to resume at the low-water mark.
 *
 * <h2>The contract a transport follows</h2>
 * <ol>
 *   <li>Call {@link #add(int)} after queueing bytes it could not send at once, {@link #remove(int)}
 *       after bytes left its queue (sent, or handed to the layer below), {@link #clear()} when the queue
 *       is dropped (abort, connection lost: no resume is signalled then, as in asyncio).</li>
 *   <li>{@code getWriteBufferSize()} returns {@link #size()}; {@code setWriteBufferLimits} delegates to
 *       {@link #setLimits(int, int)}.</li>
 *   <li>A layered transport (TLS over TCP) passes the lower transport's buffer size as {@code below}: the
 *       size the protocol sees is its own queue (plaintext waiting for the handshake) plus what is
 *       buffered below, and the layer calls {@link #recheck()} whenever the lower transport signals.</li>
 * </ol>
 *
 * <h2>States</h2>
 * <pre>
 *  state   | size           | next
 *  FLOWING | any            | PAUSED when size &gt; high: pause callback, once
 *  PAUSED  | above low      | FLOWING when size &lt;= low: resume callback, once
 * </pre>
 * Invariants: (1) pause and resume alternate, starting with pause; (2) the protocol is paused exactly
 * while the size was last seen above the high-water mark and has not fallen to the low one since;
 * (3) {@code 0 <= low <= high}. A callback that throws goes to the loop's exception handler (asyncio
 * reports "protocol.pause_writing() failed"); the state has changed all the same, so the next
 * crossing still signals the opposite callback.
 *
 * <p>Loop-confined, like the transport that owns it.
 */
public final class WriteFlowControl {
    /** asyncio's default high-water mark: 64 KiB. */
    public static final int DEFAULT_HIGH = 64 * 1024;
    /** asyncio's default low-water mark: a quarter of the high one. */
    public static final int DEFAULT_LOW = DEFAULT_HIGH / 4;

    private final EventLoop loop;
    private final Runnable pause;
    private final Runnable resume;
    private final IntSupplier below;
    private int own;
    private int high = DEFAULT_HIGH;
    private int low = DEFAULT_LOW;
    private boolean paused;

    /** Flow control for a transport whose whole buffer is its own. */
    public WriteFlowControl(EventLoop loop, Runnable pause, Runnable resume) {
        this(loop, pause, resume, () -> 0);
    }

    /**
     * Flow control that also counts {@code below}, the buffer of the transport this one writes into.
     * @param pause  tells the protocol to stop writing (its {@code pauseWriting})
     * @param resume tells it to go on (its {@code resumeWriting})
     */
    public WriteFlowControl(EventLoop loop, Runnable pause, Runnable resume, IntSupplier below) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.resume = Objects.requireNonNull(resume, "resume");
        this.below = Objects.requireNonNull(below, "below");
    }

    /** {@code n} more bytes are buffered. */
    public void add(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("byte count must be >= 0, not " + n);
        }
        own += n;
        recheck();
    }

    /** {@code n} buffered bytes left the buffer. */
    public void remove(int n) {
        if (n < 0 || n > own) {
            throw new IllegalArgumentException("cannot remove " + n + " of " + own + " buffered bytes");
        }
        own -= n;
        recheck();
    }

    /** The buffer was dropped (abort, lost connection): the size is zero and no resume is signalled. */
    public void clear() {
        own = 0;
        paused = false;
    }

    /** Bytes buffered: this transport's own plus the layer's below. */
    public int size() {
        return own + below.getAsInt();
    }

    /** Bytes buffered by this transport itself, without the layer below. */
    public int ownSize() {
        return own;
    }

    public boolean isPaused() {
        return paused;
    }

    public int high() {
        return high;
    }

    public int low() {
        return low;
    }

    /**
     * Sets the water marks (asyncio's {@code set_write_buffer_limits}) and applies them at once.
     * @throws IllegalArgumentException unless {@code 0 <= low <= high}
     */
    public void setLimits(int high, int low) {
        if (high < 0 || low < 0 || low > high) {
            throw new IllegalArgumentException("need 0 <= low <= high, got high=" + high + ", low=" + low);
        }
        this.high = high;
        this.low = low;
        recheck();
    }

    /** Compares the size with the marks and pauses or resumes the protocol if it crossed one. */
    public void recheck() {
        int size = size();
        if (!paused && size > high) {
            paused = true;
            call(pause, "protocol.pauseWriting() failed");
        } else if (paused && size <= low) {
            paused = false;
            call(resume, "protocol.resumeWriting() failed");
        }
    }

    private void call(Runnable callback, String failure) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            loop.callExceptionHandler(ExceptionContext.of(failure, e));
        }
    }

    @Override
    public String toString() {
        return "WriteFlowControl[size=" + size() + ", high=" + high + ", low=" + low + (paused ? ", paused" : "") + "]";
    }
}
