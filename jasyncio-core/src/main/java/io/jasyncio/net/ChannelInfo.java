package io.jasyncio.net;

import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SocketChannel;

/**
 * What a channel-backed transport answers to {@code getExtraInfo} (asyncio's {@code get_extra_info}):
 * {@code "sockname"}, {@code "peername"} (while connected; null for an unconnected datagram channel) and
 * {@code "socket"} (the channel itself); null for any other name, and for addresses once the channel is
 * closed. One place for the TCP, Unix and UDP transports. Threading: any; the JDK's address getters are
 * thread-safe.
 */
final class ChannelInfo {
    private ChannelInfo() {}

    static Object of(NetworkChannel channel, String name) {
        try {
            return switch (name) {
                case "sockname" -> channel.getLocalAddress();
                case "peername" -> switch (channel) {
                    case SocketChannel s -> s.getRemoteAddress();
                    case DatagramChannel d -> d.getRemoteAddress();
                    default -> null;
                };
                case "socket" -> channel;
                default -> null;
            };
        } catch (IOException closed) {
            return null;
        }
    }
}
