package io.jasyncio.net;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A UDP endpoint (asyncio's {@code create_datagram_endpoint}), behind
 * {@link Net#createDatagramEndpoint}: the channel is opened in the family of the address given,
 * bound, connected when a remote address is given, then handed to a started
 * {@link DatagramTransport}.
 *
 * <p>Invariants: (1) a failure while opening, binding or connecting closes the channel; (2) the
 * endpoint is returned after the protocol's {@code connectionMade} has run.
 *
 * <p>Threading: runs in the calling task, on its loop.
 */
final class DatagramEndpointFactory {
    private DatagramEndpointFactory() {}

    static <P extends DatagramProtocol> Net.DatagramEndpoint<P> open(
            Supplier<P> factory, InetSocketAddress local, InetSocketAddress remote, boolean broadcast) throws IOException {
        Objects.requireNonNull(factory, "factory");
        if (local == null && remote == null) {
            throw new IllegalArgumentException("give a local address to listen on, a remote one to connect to, or both");
        }
        EventLoop loop = Asyncio.getRunningLoop();
        boolean v6 = (local != null ? local : remote).getAddress() instanceof Inet6Address;
        DatagramChannel ch = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        boolean ok = false;
        try {
            ch.configureBlocking(false);
            if (broadcast) {
                ch.setOption(StandardSocketOptions.SO_BROADCAST, true);
            }
            ch.bind(local);
            if (remote != null) {
                ch.connect(remote);
            }
            ok = true;
        } finally {
            if (!ok) {
                Server.closeQuietly(ch);
            }
        }
        P protocol = factory.get();
        DatagramTransport t = new DatagramTransport(loop, ch, protocol);
        t.start();
        Asyncio.yieldNow(); // connectionMade has run when this returns
        return new Net.DatagramEndpoint<>(t, protocol);
    }
}
