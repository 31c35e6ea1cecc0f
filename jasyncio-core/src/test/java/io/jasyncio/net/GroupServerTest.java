package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.Asyncio;
import io.jasyncio.EventLoop;
import io.jasyncio.LoopGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class GroupServerTest {

    /** Echoes, and counts its connections per loop. */
    private static final class CountingEcho implements Protocol {
        private final Map<EventLoop, AtomicInteger> perLoop;
        private Transport transport;

        CountingEcho(Map<EventLoop, AtomicInteger> perLoop) {
            this.perLoop = perLoop;
        }

        @Override
        public void connectionMade(Transport t) {
            transport = t;
            perLoop.computeIfAbsent(Asyncio.getRunningLoop(), l -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    @Test
    void connectionsAreSpreadOverTheLoopsAndEveryEchoIsAnswered() throws Exception {
        Map<EventLoop, AtomicInteger> perLoop = new ConcurrentHashMap<>();
        try (LoopGroup group = new LoopGroup(3);
             GroupServer server = GroupServer.create(group, () -> new CountingEcho(perLoop), "127.0.0.1", 0)) {
            assertThat(server.port()).isPositive();
            assertThat(server.loopCount()).isEqualTo(3);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 60; i++) { // all open at once, so each is a distinct connection to hash
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                    s.setSoTimeout(30_000);
                    clients.add(s);
                }
                for (int i = 0; i < clients.size(); i++) {
                    byte[] msg = ("hello " + i + "\n").getBytes(StandardCharsets.US_ASCII);
                    OutputStream out = clients.get(i).getOutputStream();
                    out.write(msg);
                    out.flush();
                    assertThat(readExactly(clients.get(i).getInputStream(), msg.length)).isEqualTo(msg);
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            int total = perLoop.values().stream().mapToInt(AtomicInteger::get).sum();
            assertThat(total).isEqualTo(60);
            // The kernel hashes each connection to one of the three sockets: all 60 on one or two
            // loops would happen with probability about 3 * (2/3)^60, i.e. never.
            assertThat(perLoop).hasSize(3);
            assertThat(perLoop.keySet()).containsExactlyInAnyOrderElementsOf(group.loops());
            server.close();
            server.close(); // idempotent
            assertThat(server.toString()).contains("closed");
        }
    }

    @Test
    void aPortTakenWithoutReusePortFailsAndLeavesNoLoopListening() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
             LoopGroup group = new LoopGroup(2)) {
            assertThatThrownBy(() -> GroupServer.create(group, () -> new Protocol() {}, "127.0.0.1", taken.getLocalPort()))
                    .isInstanceOf(java.io.IOException.class);
            for (EventLoop loop : group.loops()) {
                assertThat(Asyncio.runCoroutineThreadsafe(() -> loop.toString(), loop).get()).isNotNull();
            }
        }
    }

    @Test
    void badPortIsRefusedAtTheCall() throws Exception {
        try (LoopGroup group = new LoopGroup(1)) {
            assertThatThrownBy(() -> GroupServer.create(group, () -> new Protocol() {}, "127.0.0.1", 70000))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        }
    }

    private static byte[] readExactly(InputStream in, int n) throws java.io.IOException {
        byte[] buf = new byte[n];
        int got = 0;
        while (got < n) {
            int r = in.read(buf, got, n - got);
            if (r < 0) {
                throw new java.io.EOFException("the server closed after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return buf;
    }
}
