package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.internal.Sneaky;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * The writing side of a stream connection: asyncio's {@code StreamWriter}. {@link #write} never
 * suspends (bytes are buffered); call {@link #drain()} after writing to wait while the buffer is
 * above its high-water mark, which is how a fast writer keeps pace with a slow peer.
 *
 * <pre>{@code
 * writer.write(bytes);
 * writer.drain();          // suspends only when the peer reads slower than we write
 * writer.close();
 * writer.waitClosed();
 * }</pre>
 * Loop-confined.
 */
public final class StreamWriter implements AutoCloseable {
    private Transport transport;
    private final StreamReaderProtocol protocol;
    private final StreamReader reader;
    private long turnOfLastDrain = -1; // EventLoop.turns() when drain() last returned

    StreamWriter(Transport transport, StreamReaderProtocol protocol, StreamReader reader) {
        this.transport = transport;
        this.protocol = protocol;
        this.reader = reader;
    }

    public Transport transport() {
        return transport;
    }

    /**
     * Buffers {@code data} for sending. What the socket does not take at once is copied, so the
     * array may be reused as soon as this returns.
     */
    public void write(byte[] data) {
        transport.write(ByteBuffer.wrap(data));
    }

    /**
     * Buffers {@code data}'s remaining bytes for sending. What the socket does not take at once is
     * copied, so the buffer may be reused as soon as this returns (with
     * {@link StreamReader#read(ByteBuffer)}, a loop that allocates nothing per message).
     */
    public void write(ByteBuffer data) {
        transport.write(Objects.requireNonNull(data, "data"));
    }

    /** Buffers a string as UTF-8. */
    public void write(String text) {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    public void writeLines(List<byte[]> lines) {
        transport.writeLines(lines);
    }

    /** Half-closes: the peer reads the end of the stream after the buffered bytes. */
    public void writeEof() {
        transport.writeEof();
    }

    public boolean canWriteEof() {
        return transport.canWriteEof();
    }

    /**
     * Suspends while the write buffer is above its high-water mark.
     *
     * <p>Cancellation / fairness: a cancelled drain leaves the buffered bytes buffered, and they are
     * still sent. A drain that need not wait is still a scheduling point when the task has not given
     * up the loop since its previous drain: it then yields once (as {@link Asyncio#yieldNow()}), so a
     * task that writes and drains in a loop to a fast reader, whose socket never fills, cannot starve
     * timers, I/O and the other tasks of the loop. A task that suspended in between (a server that
     * waited for the next request before answering it) returns at once: it has just been fair, and a
     * second switch per response would only cost time.
     * @throws IOException if the connection was lost (the error it was lost with)
     */
    public void drain() throws IOException {
        Throwable exc = reader.exception();
        if (exc != null) {
            throw Sneaky.raise(exc);
        }
        if (transport.isClosing()) {
            Asyncio.yieldNow(); // let connectionLost run, so a lost connection reports its error below
        }
        if (!protocol.drainHelper() && protocol.loop().turns() == turnOfLastDrain) {
            Asyncio.yieldNow(); // did not wait and did not suspend since the last drain: a fair scheduling point
        }
        turnOfLastDrain = protocol.loop().turns();
    }

    /**
     * Upgrades this open plain connection to TLS (asyncio's {@code start_tls}): suspends until the
     * handshake is done; from then on the reader and this writer carry plaintext over TLS.
     * Flush what must go out in the clear (call {@link #drain()}) before upgrading. Bytes the reader
     * has buffered but nobody read yet are taken as the peer's first TLS records (a client that sends
     * its ClientHello right after the STARTTLS command, before our reply).
     * @throws javax.net.ssl.SSLHandshakeException if the handshake fails (the connection is then closed)
     */
    public void startTls(TlsOptions tls, boolean serverSide) throws IOException {
        java.util.Objects.requireNonNull(tls, "tls");
        if (!(transport instanceof SocketTransport raw)) {
            throw new IllegalStateException("startTls() needs a plain TCP connection, not " + transport);
        }
        if (raw.isClosing()) {
            throw new IllegalStateException("startTls() on a closed connection");
        }
        java.net.InetSocketAddress peer = (java.net.InetSocketAddress) raw.getExtraInfo("peername");
        String host = tls.serverHostname() != null ? tls.serverHostname() : peer.getHostString();
        TlsProtocol tlsProtocol = new TlsProtocol(io.jasyncio.Asyncio.getRunningLoop(), tls, protocol, serverSide, host, peer.getPort());
        tlsProtocol.upgrading();
        raw.setProtocol(tlsProtocol);
        tlsProtocol.connectionMade(raw);
        // The peer may have sent its first TLS records (a ClientHello) before we got here; they sit in
        // the reader's buffer, and the handshake needs them.
        tlsProtocol.feedEarlyBytes(reader.takeBuffered());
        // From now on writes are plaintext for TLS: made during the handshake (by another task), they
        // wait in the TLS transport, counted in its buffer, and are encrypted once it is done.
        transport = tlsProtocol.appTransport();
        reader.attach(transport);
        tlsProtocol.awaitHandshake(raw);
    }

    /** The chunk the fallback of {@link #sendfile} reads and writes at a time. */
    private static final int SENDFILE_CHUNK = 256 * 1024;

    /**
     * Sends {@code count} bytes of {@code file} from {@code offset} (asyncio's {@code loop.sendfile}),
     * after what is already buffered, and returns the bytes sent (fewer at the end of the file); the
     * file's position is left after them. Over plain TCP it is zero-copy ({@code FileChannel.transferTo},
     * see {@link Net#sockSendfile}) and {@link #write} is refused until it returns; over TLS and other
     * transports it falls back to reading chunks on a worker thread and writing them with
     * {@link #drain()} in between (asyncio's fallback).
     *
     * <p>Cancellation: stops; what was sent is gone, the file position says how much.
     *
     * @throws IOException if the connection is lost, or the file cannot be read
     */
    public long sendfile(java.nio.channels.FileChannel file, long offset, long count) throws IOException {
        java.util.Objects.requireNonNull(file, "file");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, not " + offset);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, not " + count);
        }
        if (transport instanceof SocketTransport raw) {
            return raw.sendfile(file, offset, count);
        }
        long sent = 0;
        try {
            while (sent < count) {
                long position = offset + sent;
                int want = (int) Math.min(SENDFILE_CHUNK, count - sent);
                ByteBuffer chunk = Asyncio.toThreadChecked(() -> {
                    ByteBuffer b = ByteBuffer.allocate(want);
                    while (b.hasRemaining() && file.read(b, position + b.position()) > 0) {
                        // read until the chunk is full or the file ends
                    }
                    return b.flip();
                }, IOException.class);
                if (!chunk.hasRemaining()) {
                    break; // the end of the file
                }
                int n = chunk.remaining();
                transport.write(chunk);
                sent += n;
                drain();
            }
        } finally {
            file.position(offset + sent);
        }
        return sent;
    }

    /** {@link #sendfile(java.nio.channels.FileChannel, long, long)} of the whole file. */
    public long sendfile(java.nio.channels.FileChannel file) throws IOException {
        return sendfile(file, 0, Long.MAX_VALUE);
    }

    /** Closes the connection after flushing what is buffered. */
    @Override
    public void close() {
        transport.close();
    }

    public boolean isClosing() {
        return transport.isClosing();
    }

    /**
     * Suspends until the connection is closed.
     * @throws IOException if it was lost with an error
     */
    public void waitClosed() throws IOException {
        try {
            protocol.closedFuture().await();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw e instanceof IOException io ? io : new IOException(e);
        }
    }

    public Object getExtraInfo(String name) {
        return transport.getExtraInfo(name);
    }

    @Override
    public String toString() {
        return "StreamWriter[" + transport + "]";
    }
}
