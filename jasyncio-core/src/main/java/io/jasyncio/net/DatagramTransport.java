package io.jasyncio.net;

import io.jasyncio.EventLoop;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A UDP endpoint: asyncio's {@code DatagramTransport} over a non-blocking {@link DatagramChannel}.
 * Connected endpoints ({@code remote} given) send with {@code sendTo(data, null)} and receive only
 * from their peer; unconnected ones name the address on every send. A datagram the socket cannot
 * take at once is queued and sent when writable; the protocol is paused above the high-water mark.
 *
 * <p>Life cycle: open until {@link #close()} (after flushing queued datagrams) or {@link #abort()};
 * then {@code connectionLost} once, on a later loop turn. Loop-confined.
 */
public final class DatagramTransport {
    private static final int MAX_DATAGRAM = 65536;

    private final EventLoop loop;
    private final DatagramChannel channel;
    private final DatagramProtocol protocol;
    private final ByteBuffer readBuf = ByteBuffer.allocateDirect(MAX_DATAGRAM);
    private final ArrayDeque<Object[]> queue = new ArrayDeque<>();
    private int buffered;
    private final int high = 64 * 1024, low = 16 * 1024;
    private boolean paused, closing, lost;

    DatagramTransport(EventLoop loop, DatagramChannel channel, DatagramProtocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
    }

    void start() {
        loop.callSoon(() -> {
            protocol.connectionMade(this);
            if (!closing) {
                loop.addReader(channel, this::onReadable);
            }
        });
    }

    private void onReadable() {
        if (closing) {
            return;
        }
        try {
            readBuf.clear();
            SocketAddress from = channel.receive(readBuf);
            if (from == null) {
                return;
            }
            readBuf.flip();
            protocol.datagramReceived(readBuf.asReadOnlyBuffer(), from);
        } catch (java.net.PortUnreachableException e) {
            protocol.errorReceived(e);
        } catch (IOException e) {
            protocol.errorReceived(e);
        }
    }

    /**
     * Sends one datagram to {@code addr} (null for a connected endpoint).
     * @throws IllegalStateException after close
     */
    public void sendTo(ByteBuffer data, SocketAddress addr) {
        Objects.requireNonNull(data, "data");
        if (closing) {
            throw new IllegalStateException("sendTo() after close(): the endpoint is closed");
        }
        boolean connected = channel.isConnected();
        if (addr == null && !connected) {
            throw new IllegalArgumentException("an unconnected endpoint needs a destination address");
        }
        if (addr != null && connected) {
            throw new IllegalArgumentException("a connected endpoint sends only to its peer: pass null");
        }
        if (queue.isEmpty()) {
            try {
                int n = connected ? channel.write(data) : channel.send(data, addr);
                if (n > 0 || !data.hasRemaining()) {
                    return;
                }
            } catch (IOException e) {
                protocol.errorReceived(e);
                return;
            }
            loop.addWriter(channel, this::onWritable);
        }
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        queue.add(new Object[] {copy, addr});
        buffered += copy.remaining();
        if (!paused && buffered > high) {
            paused = true;
            protocol.pauseWriting();
        }
    }

    /** Sends {@code data} to {@code addr} (null when connected). */
    public void sendTo(byte[] data, SocketAddress addr) {
        sendTo(ByteBuffer.wrap(data), addr);
    }

    private void onWritable() {
        while (!queue.isEmpty()) {
            Object[] item = queue.peekFirst();
            ByteBuffer data = (ByteBuffer) item[0];
            int size = data.remaining();
            try {
                int n = item[1] == null ? channel.write(data) : channel.send(data, (SocketAddress) item[1]);
                if (n == 0 && data.hasRemaining()) {
                    return; // still full
                }
            } catch (IOException e) {
                protocol.errorReceived(e);
            }
            queue.pollFirst();
            buffered -= size;
        }
        loop.removeWriter(channel);
        if (paused && buffered <= low) {
            paused = false;
            protocol.resumeWriting();
        }
        if (closing) {
            lose(null);
        }
    }

    public int getWriteBufferSize() {
        return buffered;
    }

    /** Closes after sending what is queued. */
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        loop.removeReader(channel);
        if (queue.isEmpty()) {
            lose(null);
        }
    }

    /** Closes at once, dropping what is queued. */
    public void abort() {
        closing = true;
        queue.clear();
        buffered = 0;
        loop.removeReader(channel);
        lose(null);
    }

    public boolean isClosing() {
        return closing;
    }

    private void lose(Throwable exc) {
        if (lost) {
            return;
        }
        lost = true;
        loop.removeWriter(channel);
        loop.callSoon(() -> {
            try {
                protocol.connectionLost(exc);
            } finally {
                Server.closeQuietly(channel);
            }
        });
    }

    /** {@code "sockname"}, {@code "peername"} (connected only), {@code "socket"}. */
    public Object getExtraInfo(String name) {
        try {
            return switch (name) {
                case "sockname" -> channel.getLocalAddress();
                case "peername" -> channel.getRemoteAddress();
                case "socket" -> channel;
                default -> null;
            };
        } catch (IOException closed) {
            return null;
        }
    }

    public DatagramProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "DatagramTransport[" + getExtraInfo("sockname") + (closing ? ", closing" : "") + "]";
    }
}
