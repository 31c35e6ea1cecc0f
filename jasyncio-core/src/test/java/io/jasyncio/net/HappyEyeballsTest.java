package io.jasyncio.net;

import static io.jasyncio.Asyncio.createTask;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.CancelledError;
import io.jasyncio.Task;
import io.jasyncio.test.StrictLoop;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * RFC 8305 Happy Eyeballs and the other connection options, on loopback only. A "blackhole" address
 * is a local listener whose accept queue is full: the kernel drops further SYNs, so a connection
 * attempt to it hangs the way one to an unreachable host does. A resolver hook hands out
 * [blackhole, good] addresses.
 */
@Timeout(60)
class HappyEyeballsTest {
    private ServerSocket blackhole;
    private final List<Socket> fillers = new ArrayList<>();

    @BeforeEach
    void fillABacklog() throws IOException {
        blackhole = new ServerSocket();
        blackhole.bind(new InetSocketAddress("127.0.0.1", 0), 1);
        for (int i = 0; i < 10; i++) { // never accepted: the queue fills, then connects hang
            Socket s = new Socket();
            fillers.add(s);
            try {
                s.connect(blackhole.getLocalSocketAddress(), 300);
            } catch (SocketTimeoutException full) {
                return;
            }
        }
        throw new IllegalStateException("could not fill the accept queue of " + blackhole);
    }

    @AfterEach
    void closeAll() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        blackhole.close();
    }

    private InetSocketAddress blackholeAddress() {
        return (InetSocketAddress) blackhole.getLocalSocketAddress();
    }

    private static Server echoServer(String host) throws IOException {
        return Net.startServer((r, w) -> {
            for (byte[] line : r) {
                w.write(line);
            }
            w.close();
        }, host, 0);
    }

    private static String roundTrip(StreamPair c) throws IOException {
        c.writer().write("ping\n");
        return StreamReader.text(c.reader().readline());
    }

    private static InetSocketAddress v4(int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
    }

    private static InetSocketAddress v6(int port) throws IOException {
        return new InetSocketAddress(InetAddress.getByName("::1"), port);
    }

    @Test
    void interleaveAlternatesFamiliesAfterTheFirstCount() throws IOException {
        List<InetSocketAddress> in = List.of(v6(1), v6(2), v6(3), v4(4), v4(5));
        assertThat(HappyEyeballs.interleave(in, 0)).isEqualTo(in);
        assertThat(HappyEyeballs.interleave(in, 1)).containsExactly(v6(1), v4(4), v6(2), v4(5), v6(3));
        assertThat(HappyEyeballs.interleave(in, 2)).containsExactly(v6(1), v6(2), v4(4), v6(3), v4(5));
    }

    @Test
    void happyEyeballsConnectsToTheSecondAddressWhileTheFirstHangs() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server good = echoServer("127.0.0.1");
            long fdsBefore = StrictLoop.openFds();
            ConnectOptions o = ConnectOptions.defaults().withHappyEyeballsDelay(Duration.ofMillis(50))
                    .withResolver((h, p) -> List.of(blackholeAddress(), v4(good.port())));
            StreamPair c = Net.openConnection("service.test", 0, o);
            assertThat(roundTrip(c)).isEqualTo("ping");
            assertThat(((InetSocketAddress) c.writer().getExtraInfo("peername")).getPort()).isEqualTo(good.port());
            c.close();
            c.writer().waitClosed();
            good.close();
            good.waitClosed();
            if (fdsBefore >= 0) {
                assertThat(StrictLoop.openFds()).as("the losing attempt's socket is closed").isLessThanOrEqualTo(fdsBefore);
            }
            return null;
        });
    }

    @Test
    void withoutHappyEyeballsTheFirstAddressIsWaitedFor() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server good = echoServer("127.0.0.1");
            ConnectOptions o = ConnectOptions.defaults().withResolver((h, p) -> List.of(blackholeAddress(), v4(good.port())));
            StreamPair c = Asyncio.timeoutOrNull(Duration.ofMillis(300), () -> Net.openConnection("service.test", 0, o));
            assertThat(c).as("still trying the blackhole").isNull();
            good.close();
            good.waitClosed();
            return null;
        });
    }

    @Test
    void aRefusedAttemptStartsTheNextAtOnceAcrossFamilies() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Server good = echoServer("127.0.0.1");
            int closedPort;
            try (ServerSocketChannel probe = ServerSocketChannel.open().bind(new InetSocketAddress("::1", 0))) {
                closedPort = ((InetSocketAddress) probe.getLocalAddress()).getPort();
            }
            int port = closedPort;
            // a long delay: only the refusal can start the second attempt early
            ConnectOptions o = ConnectOptions.defaults().withHappyEyeballsDelay(Duration.ofHours(1))
                    .withResolver((h, p) -> List.of(v6(port), v4(good.port())));
            StreamPair c = Net.openConnection("dual.test", 0, o);
            assertThat(roundTrip(c)).isEqualTo("ping");
            c.close();
            good.close();
            good.waitClosed();
            return null;
        });
    }

    @Test
    void whenEveryAttemptFailsTheFirstFailureCarriesTheOthers() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            int p1, p2;
            try (ServerSocketChannel a = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 ServerSocketChannel b = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                p1 = ((InetSocketAddress) a.getLocalAddress()).getPort();
                p2 = ((InetSocketAddress) b.getLocalAddress()).getPort();
            }
            for (Duration delay : new Duration[] {null, Duration.ofMillis(10)}) {
                ConnectOptions o = ConnectOptions.defaults().withHappyEyeballsDelay(delay)
                        .withResolver((h, p) -> List.of(v4(p1), v4(p2)));
                assertThatThrownBy(() -> Net.openConnection("down.test", 0, o)).isInstanceOf(ConnectException.class)
                        .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1));
            }
            return null;
        });
    }

    @Test
    void cancellingARaceClosesEveryAttempt() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            long fdsBefore = StrictLoop.openFds();
            ConnectOptions o = ConnectOptions.defaults().withHappyEyeballsDelay(Duration.ofMillis(10))
                    .withResolver((h, p) -> List.of(blackholeAddress(), blackholeAddress(), blackholeAddress()));
            Task<StreamPair> connecting = createTask(() -> Net.openConnection("slow.test", 0, o));
            Asyncio.sleep(0.1); // all three attempts are running
            connecting.cancel();
            assertThatThrownBy(connecting::await).isInstanceOf(CancelledError.class);
            if (fdsBefore >= 0) {
                assertThat(StrictLoop.openFds()).isLessThanOrEqualTo(fdsBefore);
            }
            return null;
        });
    }

    @Test
    void localAddressAndSocketOptionsApplyToTheConnection() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            InetSocketAddress[] peer = new InetSocketAddress[1];
            Server s = Net.startServer((r, w) -> {
                peer[0] = (InetSocketAddress) w.getExtraInfo("peername");
                w.close();
            }, "127.0.0.1", 0);
            ConnectOptions o = ConnectOptions.defaults()
                    .withLocalAddress(new InetSocketAddress("127.0.0.2", 0))
                    .withSocketOption(StandardSocketOptions.SO_KEEPALIVE, true)
                    .withSocketOption(StandardSocketOptions.TCP_NODELAY, false);
            StreamPair c = Net.openConnection("127.0.0.1", s.port(), o);
            SocketChannel ch = (SocketChannel) c.writer().getExtraInfo("socket");
            assertThat(ch.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
            assertThat(ch.getOption(StandardSocketOptions.TCP_NODELAY)).as("the caller's choice wins").isFalse();
            assertThat(c.reader().read()).isEmpty();
            assertThat(peer[0].getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            c.close();
            s.close();
            s.waitClosed();
            assertThatThrownBy(() -> Net.openConnection("127.0.0.1", 9,
                    ConnectOptions.defaults().withLocalAddress(new InetSocketAddress("::1", 0))))
                    .isInstanceOf(java.net.NoRouteToHostException.class).hasMessageContaining("family");
            return null;
        });
    }

    @Test
    void anAcceptedSocketBecomesAStreamPair() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
                listener.configureBlocking(false);
                int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                Task<StreamPair> client = createTask(() -> Net.openConnection("127.0.0.1", port));
                SocketChannel accepted = Net.sockAccept(listener);
                StreamPair server = Net.openAcceptedSocket(accepted);
                StreamPair c = client.await();
                c.writer().write("over an accepted socket\n");
                assertThat(StreamReader.text(server.reader().readline())).isEqualTo("over an accepted socket");
                server.writer().write("back\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("back");
                c.close();
                server.close();
                assertThatThrownBy(() -> Net.openAcceptedSocket(SocketChannel.open())).isInstanceOf(IllegalArgumentException.class);
            }
            return null;
        });
    }

    @Test
    void badOptionsFailAtTheCall() {
        assertThatThrownBy(() -> ConnectOptions.defaults().withHappyEyeballsDelay(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectOptions.defaults().withInterleave(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectOptions.defaults().withLimit(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConnectOptions.defaults().withResolver(null)).isInstanceOf(NullPointerException.class);
        assertThat(ConnectOptions.defaults().effectiveInterleave()).isZero();
        assertThat(ConnectOptions.defaults().withHappyEyeballsDelay(Duration.ofMillis(250)).effectiveInterleave()).isEqualTo(1);
    }
}
