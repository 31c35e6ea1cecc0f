package io.jasyncio.net;

/**
 * The two ends of a stream connection, as {@link Net#openConnection} returns them (asyncio's
 * {@code (reader, writer)} tuple). Closing it closes the writer, hence the connection.
 */
public record StreamPair(StreamReader reader, StreamWriter writer) implements AutoCloseable {
    @Override
    public void close() {
        writer.close();
    }
}
