package io.jasyncio.net;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * The callbacks of a UDP endpoint: asyncio's {@code DatagramProtocol}. All on the loop's thread.
 */
public interface DatagramProtocol {
    default void connectionMade(DatagramTransport transport) {}

    /** One datagram from {@code addr}; {@code data} is valid only during the call. */
    default void datagramReceived(ByteBuffer data, SocketAddress addr) {}

    /** A send or receive failed (e.g. ICMP port unreachable on a connected endpoint). */
    default void errorReceived(Exception exc) {}

    default void connectionLost(Throwable exc) {}

    default void pauseWriting() {}

    default void resumeWriting() {}
}
