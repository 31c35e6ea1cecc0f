package io.jasyncio.net;

import io.jasyncio.EventLoop;
import io.jasyncio.internal.ResourceLeak;
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
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private final WriteFlowControl flow;
    private boolean closing, lost;
    private final ResourceLeak leak;

    /** A datagram the socket did not take at once, and where it goes (null: the connected peer). */
    private record Queued(ByteBuffer data, SocketAddress to) {}

    DatagramTransport(EventLoop loop, DatagramChannel channel, DatagramProtocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.flow = new WriteFlowControl(loop, protocol::pauseWriting, protocol::resumeWriting);
        this.leak = ResourceLeak.track(loop, this, "DatagramTransport");
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
        queue.add(new Queued(copy, addr));
        flow.add(copy.remaining());
    }

    /** Sends {@code data} to {@code addr} (null when connected). */
    public void sendTo(byte[] data, SocketAddress addr) {
        sendTo(ByteBuffer.wrap(data), addr);
    }

    private void onWritable() {
        int sent = 0;
        while (!queue.isEmpty()) {
            Queued item = queue.peekFirst();
            int size = item.data().remaining();
            try {
                int n = item.to() == null ? channel.write(item.data()) : channel.send(item.data(), item.to());
                if (n == 0 && item.data().hasRemaining()) {
                    break; // still full
                }
            } catch (IOException e) {
                protocol.errorReceived(e);
            }
            queue.pollFirst();
            sent += size;
        }
        if (queue.isEmpty()) {
            loop.removeWriter(channel);
        }
        flow.remove(sent);
        if (closing && queue.isEmpty()) {
            lose(null);
        }
    }

    public int getWriteBufferSize() {
        return flow.size();
    }

    /** Sets the send queue's high- and low-water marks in bytes (defaults 64 KiB and 16 KiB). */
    public void setWriteBufferLimits(int high, int low) {
        flow.setLimits(high, low);
    }

    /** Closes after sending what is queued. */
    public void close() {
        leak.released();
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
        flow.clear();
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
        leak.released();
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
        return ChannelInfo.of(channel, name);
    }

    public DatagramProtocol getProtocol() {
        return protocol;
    }

    @Override
    public String toString() {
        return "DatagramTransport[" + getExtraInfo("sockname") + (closing ? ", closing" : "") + "]";
    }
}
