package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.Future;
import io.jasyncio.internal.LabelledFuture;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.Objects;

/**
 * Operations on a caller's non-blocking channel that suspend the task until the channel is ready
 * (asyncio's {@code loop.sock_*}), behind {@link Net#sockConnect} and its siblings; also the
 * zero-copy file loop that {@code SocketTransport.sendfile} uses.
 *
 * <p>Each operation tries first and waits only when the channel is not ready: it registers a reader
 * or writer callback on the loop, awaits a future the callback completes, and removes the callback
 * again on every way out (result, error, cancellation), so a cancelled operation leaves the channel
 * unwatched and can be retried.
 *
 * <p>Threading: runs in the calling task, on its loop; one pending operation per channel and
 * direction, as the loop allows one reader and one writer per channel.
 */
final class SocketOps {
    private SocketOps() {}

    static void connect(SocketChannel ch, SocketAddress address) throws IOException {
        requireNonBlocking(ch);
        if (ch.connect(address)) {
            return;
        }
        waitFor(ch, true);
        ch.finishConnect();
    }

    static SocketChannel accept(ServerSocketChannel ch) throws IOException {
        while (true) {
            SocketChannel c = ch.accept();
            if (c != null) {
                c.configureBlocking(false);
                return c;
            }
            waitFor(ch, false);
        }
    }

    static byte[] recv(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        int got = recvInto(ch, b);
        return got <= 0 ? new byte[0] : Arrays.copyOf(b.array(), got);
    }

    static int recvInto(SocketChannel ch, ByteBuffer buffer) throws IOException {
        while (true) {
            int n = ch.read(buffer);
            if (n != 0 || !buffer.hasRemaining()) {
                return n;
            }
            waitFor(ch, false);
        }
    }

    static void sendAll(SocketChannel ch, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            if (ch.write(data) == 0) {
                waitFor(ch, true);
            }
        }
    }

    static long sendfile(SocketChannel ch, FileChannel file, long offset, long count) throws IOException {
        Objects.requireNonNull(ch, "ch");
        requireNonBlocking(ch);
        return transferFile(ch, file, offset, count);
    }

    /**
     * Sends up to {@code count} bytes of {@code file} from {@code offset} through
     * {@code FileChannel.transferTo}, waiting while the socket's buffer is full; stops at the end of
     * the file and leaves the file's position after the bytes sent, however it ends.
     */
    static long transferFile(SocketChannel ch, FileChannel file, long offset, long count) throws IOException {
        Objects.requireNonNull(file, "file");
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, not " + offset);
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, not " + count);
        }
        long sent = 0;
        try {
            while (sent < count) {
                long position = offset + sent;
                if (position >= file.size()) {
                    break; // the end of the file (transferTo would return 0 for ever)
                }
                long n = file.transferTo(position, count - sent, ch);
                if (n > 0) {
                    sent += n;
                } else {
                    waitFor(ch, true);
                }
            }
        } finally {
            file.position(offset + sent);
        }
        return sent;
    }

    private static void requireNonBlocking(SelectableChannel ch) {
        if (ch.isBlocking()) {
            throw new IllegalArgumentException("the channel must be non-blocking");
        }
    }

    /** Suspends until {@code ch} is ready to write (or read); the loop's callback is gone on return. */
    private static void waitFor(SelectableChannel ch, boolean write) {
        EventLoop loop = Asyncio.getRunningLoop();
        Future<Void> ready = new LabelledFuture<>(loop, write ? "socket write" : "socket read", ch);
        Runnable wake = () -> ready.trySetResult(null);
        if (write) {
            loop.addWriter(ch, wake);
        } else {
            loop.addReader(ch, wake);
        }
        try {
            ready.await();
        } finally {
            if (write) {
                loop.removeWriter(ch);
            } else {
                loop.removeReader(ch);
            }
        }
    }
}
