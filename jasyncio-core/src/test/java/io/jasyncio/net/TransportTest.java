package io.jasyncio.net;

import io.jasyncio.test.StrictLoop;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.Future;
import io.jasyncio.Task;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The low-level layer: protocol callbacks, flow control, BufferedProtocol, sock_* operations. */
@Timeout(60)
class TransportTest {

    /** Records every callback in order. */
    static final class Recorder implements Protocol {
        final List<String> events = new ArrayList<>();
        final StringBuilder data = new StringBuilder();
        Transport transport;
        Future<Void> lost = Asyncio.getRunningLoop().createFuture();

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            events.add("made");
        }

        @Override
        public void dataReceived(ByteBuffer d) {
            data.append(StandardCharsets.UTF_8.decode(d));
        }

        @Override
        public boolean eofReceived() {
            events.add("eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable exc) {
            events.add("lost " + (exc == null ? "cleanly" : exc.getClass().getSimpleName()));
            lost.setResult(null);
        }

        @Override
        public void pauseWriting() {
            events.add("pause");
        }

        @Override
        public void resumeWriting() {
            events.add("resume");
        }
    }

    @Test
    void callbacksComeInOrderAndFlowControlPausesAndResumes() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Recorder[] serverSide = new Recorder[1];
            try (Server server = Net.createServer(() -> serverSide[0] = new Recorder(), "127.0.0.1", 0)) {
                var conn = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
                Recorder client = conn.protocol();
                assertThat(client.events).containsExactly("made");
                assertThat(conn.transport().getExtraInfo("peername")).isEqualTo(server.sockets().get(0));
                sleep(0.05);
                serverSide[0].transport.pauseReading(); // the server stops reading: the client's buffer fills
                conn.transport().setWriteBufferLimits(64 * 1024, 16 * 1024);
                byte[] chunk = new byte[64 * 1024];
                for (int i = 0; i < 200 && !client.events.contains("pause"); i++) {
                    conn.transport().write(chunk);
                }
                assertThat(client.events).contains("pause");
                assertThat(conn.transport().getWriteBufferSize()).isGreaterThan(64 * 1024);
                serverSide[0].transport.resumeReading();
                while (!client.events.contains("resume")) {
                    sleep(0.01);
                }
                conn.transport().close();
                client.lost.await();
                assertThat(client.events).containsExactly("made", "pause", "resume", "lost cleanly");
                serverSide[0].lost.await();
                assertThat(serverSide[0].events).containsExactly("made", "eof", "lost cleanly");
                assertThatThrownBy(() -> conn.transport().write(new byte[1])).isInstanceOf(IllegalStateException.class);
                assertThatThrownBy(() -> conn.transport().setWriteBufferLimits(1, 2)).isInstanceOf(IllegalArgumentException.class);
            }
            return null;
        });
    }

    @Test
    void abortDropsBufferedDataAndClosesAtOnce() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Recorder[] serverSide = new Recorder[1];
            try (Server server = Net.createServer(() -> serverSide[0] = new Recorder(), "127.0.0.1", 0)) {
                var conn = Net.createConnection(Recorder::new, "127.0.0.1", server.port());
                conn.transport().abort();
                conn.protocol().lost.await();
                assertThat(conn.transport().isClosing()).isTrue();
                serverSide[0].lost.await();
            }
            return null;
        });
    }

    /** Reads straight into its own buffer. */
    static final class Buffered implements BufferedProtocol {
        final ByteBuffer buf = ByteBuffer.allocate(1 << 16);
        final Future<String> done = Asyncio.getRunningLoop().createFuture();

        @Override
        public ByteBuffer getBuffer(int sizeHint) {
            return buf;
        }

        @Override
        public void bufferUpdated(int nbytes) {
            // bytes are already in buf
        }

        @Override
        public void connectionLost(Throwable exc) {
            buf.flip();
            done.setResult(StandardCharsets.UTF_8.decode(buf).toString());
        }
    }

    @Test
    void bufferedProtocolReceivesIntoItsOwnBuffer() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server server = Net.startServer((r, w) -> {
                w.write("into your buffer");
                w.close();
            }, "127.0.0.1", 0)) {
                var conn = Net.createConnection(Buffered::new, "127.0.0.1", server.port());
                assertThat(conn.protocol().done.await()).isEqualTo("into your buffer");
            }
            return null;
        });
    }

    @Test
    void sockOperations() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.bind(new InetSocketAddress("127.0.0.1", 0));
                listener.configureBlocking(false);
                Task<String> acceptor = Asyncio.createTask(() -> {
                    try (SocketChannel peer = Net.sockAccept(listener)) {
                        byte[] got = Net.sockRecv(peer, 100);
                        Net.sockSendAll(peer, ByteBuffer.wrap(("echo:" + new String(got)).getBytes()));
                        return new String(got);
                    }
                });
                try (SocketChannel ch = SocketChannel.open()) {
                    ch.configureBlocking(false);
                    Net.sockConnect(ch, listener.getLocalAddress());
                    Net.sockSendAll(ch, ByteBuffer.wrap("hi".getBytes()));
                    ByteBuffer into = ByteBuffer.allocate(100);
                    int n = 0;
                    while (n < 7) {
                        n += Net.sockRecvInto(ch, into);
                    }
                    assertThat(new String(into.array(), 0, n)).isEqualTo("echo:hi");
                }
                assertThat(acceptor.await()).isEqualTo("hi");
                try (SocketChannel blocking = SocketChannel.open()) {
                    assertThatThrownBy(() -> Net.sockConnect(blocking, listener.getLocalAddress())).isInstanceOf(IllegalArgumentException.class);
                }
            }
            return null;
        });
    }

    @Test
    void namesAndAddresses() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            assertThat(Net.getAddrInfo("localhost", 80)).isNotEmpty().allMatch(a -> a.getPort() == 80);
            assertThat(Net.getAddrInfo("127.0.0.1", 1)).singleElement().satisfies(a -> assertThat(a.getAddress().isLoopbackAddress()).isTrue());
            assertThatThrownBy(() -> Net.getAddrInfo("no-such-host.invalid", 80)).isInstanceOf(UnknownHostException.class);
            assertThatThrownBy(() -> Net.openConnection("no-such-host.invalid", 80)).isInstanceOf(UnknownHostException.class);
            assertThat(Net.getNameInfo(new InetSocketAddress("127.0.0.1", 80))).isNotBlank();
            return null;
        });
    }

    @Test
    void ipv6LoopbackServerAndClient() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server server;
            try {
                server = Net.startServer((r, w) -> {
                    w.write(r.readline());
                    w.close();
                }, "::1", 0);
            } catch (java.net.SocketException noIpv6) {
                return null; // the machine has no IPv6 loopback
            }
            try (server; StreamPair c = Net.openConnection("::1", server.port())) {
                c.writer().write("v6\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("v6");
            }
            return null;
        });
    }

    @Test
    void acceptStorm() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            int[] served = {0};
            try (Server server = Net.createServer(() -> new Protocol() {
                @Override
                public void connectionMade(Transport t) {
                    served[0]++;
                    t.write("x".getBytes());
                    t.close();
                }
            }, "127.0.0.1", 0, 1024, false)) {
                List<Task<Integer>> clients = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    clients.add(Asyncio.createTask(() -> {
                        try (StreamPair c = Net.openConnection("127.0.0.1", server.port())) {
                            return c.reader().read().length;
                        }
                    }));
                }
                assertThat(Asyncio.gather(clients)).hasSize(500).containsOnly(1);
                assertThat(served[0]).isEqualTo(500);
            }
            return null;
        });
    }
}
