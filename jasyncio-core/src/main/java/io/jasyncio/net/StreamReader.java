package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.Future;
import io.jasyncio.IncompleteReadException;
import io.jasyncio.LimitOverrunException;
import io.jasyncio.internal.LabelledFuture;
import io.jasyncio.internal.Sneaky;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * The reading side of a stream connection: asyncio's {@code StreamReader}. Every read suspends
 * the calling task until enough bytes (or the end) arrive.
 *
 * <p>Memory is bounded: when more than twice the limit (default 64 KiB) is buffered, the
 * transport stops reading from the socket until the task consumes below the limit, so a fast peer
 * cannot make a slow consumer's buffer grow.
 *
 * <p>Cancellation: a cancelled read consumes nothing; the bytes stay buffered for the next read.
 * Only one task may wait for data at a time; a second concurrent read fails with
 * {@link IllegalStateException}.
 *
 * <p>Iteration yields lines ({@link #readline()}) until the end of the stream. Loop-confined.
 *
 * <p>Implementation notes: the buffer is allocated when bytes arrive and dropped when every byte was
 * read, so an idle connection's reader holds no buffer (an idle server with many keep-alive clients
 * pays for its readers' objects only). Bytes that arrive while nothing is buffered become a buffer of
 * exactly their size, copied once from the transport's (shared, reused) read buffer; a read that
 * takes all of them is handed that array as it is, with no second copy, and the reader lets go of it
 * in the same step, so the array returned is never aliased by the reader. Hot path of a server
 * (read, answer, read again): a read that buffered bytes satisfy returns without suspending or
 * allocating anything but its result; a read that must wait allocates its waiter only (the wait's
 * label is a constant, its subject described only when someone asks). A {@link #read(ByteBuffer)}
 * that waits with nothing buffered lends its buffer to the reader: {@code feedData} copies arriving
 * bytes straight into it (bytes beyond its room are buffered as usual, after them), so a server
 * that reads into one reused buffer allocates no array per message; the order of bytes is kept
 * because the direct copy happens only while the reader's own buffer is empty.
 */
public final class StreamReader implements Iterable<byte[]> {
    /** The default limit: 64 KiB, as asyncio. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private final int limit;
    private static final byte[] NO_BYTES = new byte[0];
    /** The smallest buffer allocated when bytes arrive. */
    private static final int MIN_BUFFER = 1024;

    private byte[] buf = NO_BYTES;
    private int start, end;
    private boolean eof;
    private Throwable exception;
    private Future<Void> waiter;
    /**
     * The buffer of a {@link #read(ByteBuffer)} that waits with nothing buffered: bytes that arrive
     * go straight into it (no buffer of the reader's own); null otherwise.
     */
    private ByteBuffer waitingInto;
    private Transport transport;
    private boolean paused;

    public StreamReader() {
        this(DEFAULT_LIMIT);
    }

    public StreamReader(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be > 0, not " + limit);
        }
        this.limit = limit;
    }

    // ---------------------------------------------------------------- fed by the protocol

    void setTransport(Transport t) {
        this.transport = t;
    }

    /**
     * Gives the reader the transport it may pause and resume for flow control (for readers fed
     * by a custom transport, such as a pipe pump).
     */
    public void attach(Transport t) {
        setTransport(java.util.Objects.requireNonNull(t, "transport"));
    }

    /**
     * Appends received bytes (called by the protocol). They are copied: the reader keeps no
     * reference to {@code data}, which the caller may reuse at once (transports pass their one read
     * buffer, the pipe pump its two).
     */
    public void feedData(ByteBuffer data) {
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        ByteBuffer into = waitingInto;
        if (into != null && size() == 0 && into.hasRemaining()) { // straight to the waiting read (implementation notes)
            int k = Math.min(n, into.remaining());
            into.put(into.position(), data, data.position(), k);
            into.position(into.position() + k);
            data.position(data.position() + k);
            wakeWaiter();
            n -= k;
            if (n == 0) {
                return;
            }
        }
        if (buf == NO_BYTES) { // nothing buffered: these bytes become the buffer (implementation notes)
            buf = new byte[n];
            data.get(buf);
            start = 0;
            end = n;
        } else {
            ensureRoom(n);
            data.get(buf, end, n);
            end += n;
        }
        wakeWaiter();
        if (transport != null && !paused && size() > 2 * limit) {
            transport.pauseReading();
            paused = true;
        }
    }

    /** Marks the end of the stream. */
    public void feedEof() {
        eof = true;
        wakeWaiter();
    }

    /** Makes every pending and later read fail with {@code exc}. */
    public void setException(Throwable exc) {
        exception = exc;
        wakeWaiter();
    }

    /** The error set by {@link #setException}, or null. */
    public Throwable exception() {
        return exception;
    }

    private void wakeWaiter() {
        Future<Void> w = waiter;
        if (w != null) {
            w.trySetResult(null);
        }
    }

    private void ensureRoom(int n) {
        if (end + n <= buf.length) {
            return;
        }
        int size = size();
        if (size + n <= buf.length / 2) {
            System.arraycopy(buf, start, buf, 0, size); // compact
        } else {
            byte[] bigger = new byte[Math.max(MIN_BUFFER, Math.max(buf.length * 2, size + n))];
            System.arraycopy(buf, start, bigger, 0, size);
            buf = bigger;
        }
        start = 0;
        end = size;
    }

    /** Bytes buffered and not read yet. */
    int bufferedSize() {
        return size();
    }

    private int size() {
        return end - start;
    }

    private byte[] take(int n) {
        // All of an exactly sized buffer: hand the array over; the reader drops it just below.
        byte[] out = start == 0 && n == buf.length ? buf : Arrays.copyOfRange(buf, start, start + n);
        consume(n);
        return out;
    }

    /** Drops the first {@code n} buffered bytes, which a read has taken. */
    private void consume(int n) {
        start += n;
        if (start == end) {
            start = end = 0;
            buf = NO_BYTES; // nothing buffered: hold no memory (implementation notes)
        }
        maybeResumeTransport();
    }

    /**
     * Takes every buffered byte, for a protocol that takes over the connection (startTls: the
     * bytes are the peer's first TLS records, not plaintext for this reader).
     */
    ByteBuffer takeBuffered() {
        return ByteBuffer.wrap(take(size()));
    }

    private void maybeResumeTransport() {
        if (paused && size() <= limit) {
            paused = false;
            transport.resumeReading();
        }
    }

    /**
     * @param what the waiting read's label, a constant ("StreamReader.read"): no string is built per wait
     * @param into where arriving bytes go straight to, or null (into the reader's buffer)
     */
    private void waitForData(String what, ByteBuffer into) throws IOException {
        if (waiter != null) {
            throw new IllegalStateException(what + "() called while another task is already waiting for incoming data on this stream");
        }
        if (eof) {
            throw new IllegalStateException("waiting for data after the end of the stream");
        }
        if (paused) {
            paused = false;
            transport.resumeReading();
        }
        waiter = new LabelledFuture<>(Asyncio.getRunningLoop(), what, transport != null ? transport : this);
        waitingInto = into;
        try {
            waiter.await();
        } finally {
            waiter = null;
            waitingInto = null;
        }
    }

    private void throwIfFailed() throws IOException {
        if (exception != null) {
            throw Sneaky.raise(exception);
        }
    }

    // ---------------------------------------------------------------- reads

    /**
     * Reads up to {@code n} bytes (at least one, unless at the end); {@code n < 0} reads to the end
     * of the stream. Returns an empty array at the end. Suspends.
     */
    public byte[] read(int n) throws IOException {
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        if (n < 0) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            while (true) {
                byte[] block = read(limit);
                if (block.length == 0) {
                    return all.toByteArray();
                }
                all.writeBytes(block);
            }
        }
        if (size() == 0 && !eof) {
            waitForData("StreamReader.read", null);
        }
        throwIfFailed();
        return take(Math.min(n, size()));
    }

    /**
     * Reads up to {@code dst.remaining()} bytes into {@code dst} (at least one, unless at the end) and
     * returns how many, or -1 at the end of the stream; 0 at once if {@code dst} has no room
     * ({@link java.nio.channels.ReadableByteChannel#read}'s contract). Suspends while nothing is
     * buffered. For a loop that reuses one buffer, this read allocates nothing per call: bytes that
     * arrive while it waits are copied from the transport straight into {@code dst}.
     *
     * <p>Cancellation: as every read, a cancelled one consumes nothing. Bytes already copied into
     * {@code dst} for it go back to the front of the reader's buffer, and {@code dst}'s position is
     * put back (its contents past that position are unspecified); the same holds when the stream
     * fails while the read waits.
     *
     * @throws java.nio.ReadOnlyBufferException if {@code dst} is read-only
     */
    public int read(ByteBuffer dst) throws IOException {
        Objects.requireNonNull(dst, "dst");
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        throwIfFailed();
        if (!dst.hasRemaining()) {
            return 0;
        }
        if (size() == 0 && !eof) {
            int before = dst.position();
            try {
                waitForData("StreamReader.read", dst);
                throwIfFailed();
            } catch (Throwable t) {
                giveBack(dst, before);
                throw t;
            }
            int got = dst.position() - before;
            if (got > 0) {
                return got;
            }
        }
        if (size() == 0) {
            return -1; // the end
        }
        int k = Math.min(size(), dst.remaining());
        dst.put(buf, start, k);
        consume(k);
        return k;
    }

    /** Puts the bytes a failed {@link #read(ByteBuffer)} was given, {@code dst[from, position)}, back in front. */
    private void giveBack(ByteBuffer dst, int from) {
        int got = dst.position() - from;
        if (got == 0) {
            return;
        }
        byte[] back = new byte[got + size()]; // bytes arrive straight into dst only while nothing is buffered
        dst.get(from, back, 0, got);
        System.arraycopy(buf, start, back, got, size());
        buf = back;
        start = 0;
        end = back.length;
        dst.position(from);
    }

    /** Reads to the end of the stream. */
    public byte[] read() throws IOException {
        return read(-1);
    }

    /**
     * Reads exactly {@code n} bytes.
     * @throws IncompleteReadException if the stream ends first (with the partial bytes, consumed)
     */
    public byte[] readExactly(int n) throws IOException {
        if (n < 0) {
            throw new IllegalArgumentException("readExactly size can not be less than zero: " + n);
        }
        throwIfFailed();
        if (n == 0) {
            return new byte[0];
        }
        while (size() < n) {
            if (eof) {
                byte[] partial = take(size());
                throw new IncompleteReadException(partial, n);
            }
            waitForData("StreamReader.readExactly", null);
            throwIfFailed();
        }
        return take(n);
    }

    /**
     * Reads up to and including {@code separator}.
     * @throws IncompleteReadException if the stream ends first (partial bytes consumed)
     * @throws LimitOverrunException if the separator is not found within the limit (nothing consumed)
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        int seplen = separator.length;
        if (seplen == 0) {
            throw new IllegalArgumentException("separator should be at least one-byte string");
        }
        throwIfFailed();
        int offset = 0;
        int isep;
        while (true) {
            int buflen = size();
            if (buflen - offset >= seplen) {
                isep = indexOf(separator, offset);
                if (isep != -1) {
                    break;
                }
                offset = buflen + 1 - seplen;
                if (offset > limit) {
                    throw new LimitOverrunException("no separator in the first " + offset + " buffered bytes, more than the reader's limit of "
                            + limit + ": raise the limit (new StreamReader(limit)) or read in pieces with read(n)", offset);
                }
            }
            if (eof) {
                byte[] chunk = take(size());
                throw new IncompleteReadException(chunk, -1);
            }
            waitForData("StreamReader.readUntil", null);
            throwIfFailed();
        }
        if (isep > limit) {
            throw new LimitOverrunException("the separator comes after " + isep + " bytes, more than the reader's limit of " + limit
                    + ": raise the limit (new StreamReader(limit)) or read in pieces with read(n)", isep);
        }
        return take(isep + seplen);
    }

    /**
     * Reads one line, ending with {@code \n}; at the end of the stream returns what is left
     * (possibly empty). A line longer than the limit throws {@link LimitOverrunException} and is
     * discarded (up to its separator if found), as asyncio's {@code readline} does.
     */
    public byte[] readline() throws IOException {
        byte[] sep = {'\n'};
        try {
            return readUntil(sep);
        } catch (IncompleteReadException e) {
            return e.partial();
        } catch (LimitOverrunException e) {
            if (indexOf(sep, e.consumed()) == e.consumed()) {
                take(e.consumed() + 1);
            } else {
                take(size());
            }
            maybeResumeTransport();
            throw e;
        }
    }

    private int indexOf(byte[] sep, int from) {
        outer:
        for (int i = start + Math.max(0, from); i <= end - sep.length; i++) {
            for (int k = 0; k < sep.length; k++) {
                if (buf[i + k] != sep[k]) {
                    continue outer;
                }
            }
            return i - start;
        }
        return -1;
    }

    /** True when the end was reached and everything was read. */
    public boolean atEof() {
        return eof && size() == 0;
    }

    /** Lines until the end of the stream (each {@code next()} may suspend). */
    @Override
    public Iterator<byte[]> iterator() {
        return new Iterator<>() {
            private byte[] next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = readline();
                    } catch (IOException e) {
                        throw Sneaky.raise(e);
                    }
                }
                return next.length > 0;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("end of stream");
                }
                byte[] l = next;
                next = null;
                return l;
            }
        };
    }

    @Override
    public String toString() {
        return "StreamReader[" + size() + " bytes" + (eof ? ", eof" : "") + (paused ? ", paused" : "")
                + (exception != null ? ", exception=" + exception : "") + (waiter != null ? ", waiter" : "") + "]";
    }

    /** Decodes a line as UTF-8 without its line ending. */
    public static String text(byte[] line) {
        int n = line.length;
        if (n > 0 && line[n - 1] == '\n') {
            n--;
            if (n > 0 && line[n - 1] == '\r') {
                n--;
            }
        }
        return new String(line, 0, n, StandardCharsets.UTF_8);
    }
}
