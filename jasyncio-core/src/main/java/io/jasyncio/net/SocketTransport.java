package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.ExceptionContext;
import io.jasyncio.internal.ResourceLeak;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * The TCP transport: a non-blocking {@link SocketChannel} driven by the loop's selector
 * (asyncio's {@code _SelectorSocketTransport}).
 *
 * <h2>States</h2>
 * <pre>
 *  state   | reading      | writing                               | next
 *  OPEN    | unless paused| direct, rest buffered                 | CLOSING (close), LOST (abort, error, flushed close)
 *  CLOSING | no           | flushes the buffer, accepts no writes | LOST (buffer empty)
 *  LOST    | no           | no; connectionLost scheduled once     | -
 * </pre>
 * Invariants: (1) {@code connectionLost} is called exactly once, on a later loop turn, and the
 * channel is closed right after it; (2) the writer is registered exactly while the buffer is not
 * empty (and the queue exists exactly then); (3) pausing and resuming the protocol is the
 * {@link WriteFlowControl}'s business, fed with every byte queued and flushed.
 *
 * <p>Implementation notes: reads go into one direct buffer shared by every transport of the loop
 * (the loop is single-threaded and {@code dataReceived} may not keep the view), so an idle
 * connection holds no read memory; the write queue and the flow control are made when the first
 * byte must be queued, so it holds no write memory either (docs/benchmarks.md, idle connections). A write first goes straight to the socket; only the rest is
 * copied into the write queue, flushed with a gathering write when the socket is writable.
 */
public final class SocketTransport implements Transport {
    private static final int READ_SIZE = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> READ_BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(READ_SIZE));

    private final EventLoop loop;
    private final SocketChannel channel;
    private Protocol protocol;
    /** Bytes the socket did not take at once; null while empty (an idle connection holds no queue). */
    private ArrayDeque<ByteBuffer> writeQueue;
    /** Created with the first queued byte (or limits): an idle connection holds none. */
    private WriteFlowControl flow;
    private boolean reading = true;
    private boolean closing;
    private boolean lost;
    private boolean eofPending, eofWritten;
    private int connLostCountdown; // writes after the peer went away are dropped; asyncio warns after 5
    private boolean closedByUs;
    /** Debug mode's "never closed" report (asyncio's ResourceWarning); released when the channel closes. */
    private final ResourceLeak leak;
    /** A {@link #sendfile} is sending: writes are refused meanwhile (they would interleave with the file). */
    private boolean sendingFile;
    /** Tasks waiting for the write queue to empty ({@link #sendfile}); made by the first. */
    private io.jasyncio.internal.WaitQueue emptyWaiters;

    SocketTransport(EventLoop loop, SocketChannel channel, Protocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.leak = ResourceLeak.track(loop, this, "SocketTransport to " + peerNameOf(channel));
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a TCP socket (Unix domain): nothing to tune
        }
    }

    /** Starts the transport: {@code connectionMade} on the next turn, then reading. */
    void start() {
        loop.callSoon(() -> {
            if (lost) {
                return;
            }
            protocol.connectionMade(this);
            if (!closing && reading) {
                loop.addReader(channel, this::onReadable);
            }
        });
    }

    // ---------------------------------------------------------------- reading

    private void onReadable() {
        if (lost || closing) {
            return;
        }
        try {
            if (protocol instanceof BufferedProtocol bp) {
                ByteBuffer b = bp.getBuffer(READ_SIZE);
                if (b == null || !b.hasRemaining()) {
                    throw new IllegalStateException("BufferedProtocol.getBuffer() returned no free space");
                }
                int n = channel.read(b);
                if (n < 0) {
                    onEof();
                } else if (n > 0) {
                    bp.bufferUpdated(n);
                }
                return;
            }
            ByteBuffer buf = READ_BUFFERS.get();
            buf.clear();
            int n = channel.read(buf);
            if (n < 0) {
                onEof();
            } else if (n > 0) {
                buf.flip();
                protocol.dataReceived(buf.asReadOnlyBuffer());
            }
        } catch (IOException e) {
            fatalError(e);
        }
    }

    private void onEof() {
        loop.removeReader(channel);
        boolean keepOpen = protocol.eofReceived();
        if (!keepOpen) {
            close();
        }
    }

    @Override
    public void pauseReading() {
        if (closing || !reading) {
            return;
        }
        reading = false;
        loop.removeReader(channel);
    }

    @Override
    public void resumeReading() {
        if (closing || reading) {
            return;
        }
        reading = true;
        loop.addReader(channel, this::onReadable);
    }

    @Override
    public boolean isReading() {
        return reading && !closing;
    }

    // ---------------------------------------------------------------- writing

    @Override
    public void write(ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (eofPending || eofWritten) {
            throw new IllegalStateException("cannot write after writeEof()");
        }
        if (closedByUs) {
            throw new IllegalStateException("write() after close(): the transport is closed");
        }
        if (sendingFile) {
            throw new IllegalStateException("write() while sendfile() is sending a file on " + this
                    + ": wait for sendfile() to return");
        }
        if (lost || closing) {
            connLostCountdown++;
            if (connLostCountdown == 5) {
                loop.callExceptionHandler(ExceptionContext.of("socket.send() raised exception: the transport is closed; "
                        + "writes after close are dropped", null));
            }
            return;
        }
        if (!data.hasRemaining()) {
            return;
        }
        if (writeQueue == null) {
            try {
                channel.write(data);
            } catch (IOException e) {
                fatalError(e);
                return;
            }
            if (!data.hasRemaining()) {
                return;
            }
            loop.addWriter(channel, this::onWritable);
            writeQueue = new ArrayDeque<>(4);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        writeQueue.add(copy);
        flow().add(copy.remaining());
    }

    private void onWritable() {
        if (lost) {
            return;
        }
        long n;
        try {
            ByteBuffer[] bufs = writeQueue.toArray(new ByteBuffer[0]);
            n = channel.write(bufs);
            while (!writeQueue.isEmpty() && !writeQueue.peekFirst().hasRemaining()) {
                writeQueue.pollFirst();
            }
        } catch (IOException e) {
            fatalError(e);
            return;
        }
        if (writeQueue.isEmpty()) {
            writeQueue = null;
        }
        flow.remove((int) n);
        if (lost) {
            return; // the protocol's resumeWriting closed or aborted the transport
        }
        if (writeQueue == null) {
            loop.removeWriter(channel);
            if (emptyWaiters != null) {
                emptyWaiters.wakeAll();
            }
            if (closing) {
                lose(null);
            } else if (eofPending) {
                shutdownOutput();
            }
        }
    }

    @Override
    public void setWriteBufferLimits(int high, int low) {
        flow().setLimits(high, low);
    }

    @Override
    public int getWriteBufferSize() {
        return flow == null ? 0 : flow.size();
    }

    private WriteFlowControl flow() {
        if (flow == null) {
            flow = new WriteFlowControl(loop, () -> protocol.pauseWriting(), () -> protocol.resumeWriting());
        }
        return flow;
    }

    @Override
    public void writeEof() {
        if (closing || eofPending || eofWritten) {
            return;
        }
        eofPending = true;
        if (writeQueue == null) {
            shutdownOutput();
        }
    }

    private void shutdownOutput() {
        eofPending = false;
        eofWritten = true;
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            fatalError(e);
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    // ---------------------------------------------------------------- closing

    @Override
    public void close() {
        if (closing || lost) {
            return;
        }
        closing = true;
        closedByUs = true;
        loop.removeReader(channel);
        if (writeQueue == null) {
            lose(null);
        }
    }

    @Override
    public void abort() {
        closedByUs = true;
        forceClose(null);
    }

    @Override
    public boolean isClosing() {
        return closing || lost;
    }

    private void fatalError(IOException e) {
        // A reset or broken pipe is the peer's doing, not a bug: it goes to the protocol only.
        forceClose(e);
    }

    private void forceClose(Throwable exc) {
        if (lost) {
            return;
        }
        writeQueue = null;
        if (flow != null) {
            flow.clear();
        }
        if (emptyWaiters != null) {
            emptyWaiters.wakeAll();
        }
        closing = true;
        loop.removeReader(channel);
        lose(exc);
    }

    /** Schedules connectionLost once, then closes the channel (invariant 1). */
    private void lose(Throwable exc) {
        if (lost) {
            return;
        }
        lost = true;
        leak.released();
        loop.removeWriter(channel);
        loop.removeReader(channel);
        loop.callSoon(() -> {
            try {
                protocol.connectionLost(exc);
            } finally {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // nothing more to do for a channel that is going away
                }
                if (server != null) {
                    server.connectionClosed(this);
                }
            }
        });
    }

    // ---------------------------------------------------------------- sendfile

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} straight from the file to the
     * socket ({@code FileChannel.transferTo}: {@code sendfile(2)}, zero-copy), after what is
     * buffered; writes are refused until it returns. Returns the bytes sent.
     * Cancellation: stops; the bytes sent so far are gone, the connection stays usable.
     */
    long sendfile(java.nio.channels.FileChannel file, long offset, long count) throws IOException {
        if (sendingFile) {
            throw new IllegalStateException("another sendfile() is already sending on " + this);
        }
        if (closing || lost || eofPending || eofWritten) {
            throw new java.net.SocketException("sendfile() on a closed connection: " + this);
        }
        sendingFile = true;
        try {
            while (writeQueue != null && !lost) {
                if (emptyWaiters == null) {
                    emptyWaiters = new io.jasyncio.internal.WaitQueue("StreamWriter.sendfile", this);
                }
                emptyWaiters.park(loop);
            }
            if (lost) {
                throw new java.net.SocketException("the connection was lost before sendfile() could start: " + this);
            }
            try {
                return SocketOps.transferFile(channel, file, offset, count);
            } catch (IOException e) {
                fatalError(e);
                throw e;
            }
        } finally {
            sendingFile = false;
        }
    }

    /** The server that accepted this connection, told when it is gone; null for a client. */
    private Server server;

    void acceptedBy(Server s) {
        this.server = s;
    }

    // ---------------------------------------------------------------- info

    @Override
    public Object getExtraInfo(String name) {
        return ChannelInfo.of(channel, name);
    }

    @Override
    public Protocol getProtocol() {
        return protocol;
    }

    /** Replaces the protocol (asyncio's {@code set_protocol}). */
    public void setProtocol(Protocol protocol) {
        this.protocol = Objects.requireNonNull(protocol, "protocol");
    }

    private static String peerNameOf(SocketChannel ch) {
        try {
            return String.valueOf(ch.getRemoteAddress());
        } catch (IOException e) {
            return "an unconnected socket";
        }
    }

    @Override
    public String toString() {
        return "SocketTransport[" + (lost ? "closed" : closing ? "closing" : "open") + ", " + getExtraInfo("peername")
                + (getWriteBufferSize() > 0 ? ", buffered=" + getWriteBufferSize() : "") + "]";
    }
}
