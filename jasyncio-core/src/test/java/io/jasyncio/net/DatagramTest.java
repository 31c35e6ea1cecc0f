package io.jasyncio.net;

import io.jasyncio.test.StrictLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.Future;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class DatagramTest {

    /** Echoes every datagram back to its sender. */
    static final class EchoProtocol implements DatagramProtocol {
        DatagramTransport transport;

        @Override
        public void connectionMade(DatagramTransport t) {
            transport = t;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress addr) {
            transport.sendTo(data, addr);
        }
    }

    /** Collects what arrives; completes a future per datagram. */
    static final class Collector implements DatagramProtocol {
        final List<String> got = new ArrayList<>();
        final List<Exception> errors = new ArrayList<>();
        Future<Void> next = Asyncio.getRunningLoop().createFuture();
        boolean lost;

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress addr) {
            got.add(StandardCharsets.UTF_8.decode(data).toString());
            if (!next.done()) {
                next.setResult(null);
            }
        }

        @Override
        public void errorReceived(Exception exc) {
            errors.add(exc);
            if (!next.done()) {
                next.setResult(null);
            }
        }

        @Override
        public void connectionLost(Throwable exc) {
            lost = true;
        }

        void awaitNext() {
            next.await();
            next = Asyncio.getRunningLoop().createFuture();
        }
    }

    @Test
    void connectedAndUnconnectedEndpointsExchangeDatagrams() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            var server = Net.createDatagramEndpoint(EchoProtocol::new, new InetSocketAddress("127.0.0.1", 0), null, false);
            InetSocketAddress serverAddr = (InetSocketAddress) server.transport().getExtraInfo("sockname");
            var client = Net.createDatagramEndpoint(Collector::new, null, serverAddr, false);
            for (int i = 0; i < 5; i++) {
                client.transport().sendTo(("ping " + i).getBytes(StandardCharsets.UTF_8), null);
                client.protocol().awaitNext();
            }
            assertThat(client.protocol().got).containsExactly("ping 0", "ping 1", "ping 2", "ping 3", "ping 4");
            assertThatThrownBy(() -> client.transport().sendTo(new byte[1], serverAddr)).isInstanceOf(IllegalArgumentException.class);

            var loose = Net.createDatagramEndpoint(Collector::new, new InetSocketAddress("127.0.0.1", 0), null, true);
            loose.transport().sendTo("free".getBytes(StandardCharsets.UTF_8), serverAddr);
            loose.protocol().awaitNext();
            assertThat(loose.protocol().got).containsExactly("free");
            assertThatThrownBy(() -> loose.transport().sendTo(new byte[1], null)).isInstanceOf(IllegalArgumentException.class);

            client.transport().close();
            loose.transport().abort();
            server.transport().close();
            sleep(0.05);
            assertThat(client.protocol().lost).isTrue();
            assertThatThrownBy(() -> client.transport().sendTo(new byte[1], null)).isInstanceOf(IllegalStateException.class);
            return null;
        });
    }

    @Test
    void connectedEndpointToAClosedPortGetsAnError() throws Exception {
        int port;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StrictLoop.run(StrictLoop.realTime(), () -> {
            var client = Net.createDatagramEndpoint(Collector::new, null, new InetSocketAddress("127.0.0.1", port), false);
            client.transport().sendTo("anyone?".getBytes(StandardCharsets.UTF_8), null);
            client.protocol().awaitNext(); // ICMP port unreachable
            assertThat(client.protocol().errors).singleElement().isInstanceOf(java.net.PortUnreachableException.class);
            client.transport().close();
            return null;
        });
    }

    @Test
    void extraInfoNamesTheAddressesAndTheChannelOfEitherTransport() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            var server = Net.createDatagramEndpoint(EchoProtocol::new, new InetSocketAddress("127.0.0.1", 0), null, false);
            DatagramTransport unconnected = server.transport();
            InetSocketAddress serverAddr = (InetSocketAddress) unconnected.getExtraInfo("sockname");
            assertThat(serverAddr.getPort()).isPositive();
            assertThat(unconnected.getExtraInfo("peername")).as("an unconnected datagram endpoint has no peer").isNull();
            assertThat(unconnected.getExtraInfo("socket")).isInstanceOf(java.nio.channels.DatagramChannel.class);
            assertThat(unconnected.getExtraInfo("cipher")).as("a name it does not know").isNull();
            var client = Net.createDatagramEndpoint(Collector::new, null, serverAddr, false);
            assertThat(client.transport().getExtraInfo("peername")).isEqualTo(serverAddr);

            try (Server tcp = Net.createServer(() -> new Protocol() {}, "127.0.0.1", 0)) {
                var conn = Net.createConnection(() -> new Protocol() {}, "127.0.0.1", tcp.port());
                Transport t = conn.transport();
                assertThat(((InetSocketAddress) t.getExtraInfo("peername")).getPort()).isEqualTo(tcp.port());
                assertThat(t.getExtraInfo("sockname")).isInstanceOf(InetSocketAddress.class);
                assertThat(t.getExtraInfo("socket")).isInstanceOf(java.nio.channels.SocketChannel.class);
                assertThat(t.getExtraInfo("nope")).isNull();
                t.close();
                sleep(0.05);
                assertThat(t.getExtraInfo("peername")).as("a closed channel has no addresses any more").isNull();
            }
            client.transport().close();
            unconnected.close();
            sleep(0.05);
            assertThat(unconnected.getExtraInfo("sockname")).isNull();
            return null;
        });
    }
}
