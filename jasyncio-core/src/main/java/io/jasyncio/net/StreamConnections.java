package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Streams over protocols, as asyncio's {@code open_connection} and {@code start_server} are written
 * over {@code create_connection} and {@code create_server}: a {@link StreamReaderProtocol} feeds a
 * {@link StreamReader} and owns the {@link StreamWriter}. Behind every stream method of {@link Net}.
 *
 * <p>Threading: runs in the calling task; the protocols belong to that task's loop, taken when the
 * method is called (so calling outside a task fails at once, not at the first connection).
 */
final class StreamConnections {
    private StreamConnections() {}

    /** How a stream opener connects: one of the protocol-level connect methods. */
    @FunctionalInterface
    interface ProtocolConnect {
        Net.Connection<StreamReaderProtocol> connect(Supplier<StreamReaderProtocol> factory) throws IOException;
    }

    /** Connects with {@code connect} and returns the reader (of {@code limit}) and writer of the connection. */
    static StreamPair open(int limit, ProtocolConnect connect) throws IOException {
        EventLoop loop = Asyncio.getRunningLoop();
        StreamReader reader = new StreamReader(limit);
        StreamReaderProtocol protocol = connect.connect(() -> new StreamReaderProtocol(loop, reader, null)).protocol();
        return new StreamPair(reader, protocol.writer());
    }

    /** A server's protocol factory that runs {@code handler} with a fresh reader of {@code limit} per connection. */
    static Supplier<StreamReaderProtocol> serving(Net.ClientHandler handler, int limit) {
        Objects.requireNonNull(handler, "handler");
        EventLoop loop = Asyncio.getRunningLoop();
        return () -> new StreamReaderProtocol(loop, new StreamReader(limit), handler);
    }
}
