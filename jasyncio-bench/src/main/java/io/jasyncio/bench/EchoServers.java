package io.jasyncio.bench;

import io.jasyncio.Asyncio;
import io.jasyncio.LoopGroup;
import io.jasyncio.LoopOptions;
import io.jasyncio.net.GroupServer;
import io.jasyncio.net.Net;
import io.jasyncio.net.Protocol;
import io.jasyncio.net.Server;
import io.jasyncio.net.Transport;
import java.nio.ByteBuffer;

/**
 * W6's servers (docs/benchmarks/WORKLOADS.md): a TCP echo on 127.0.0.1, one loop, run pinned
 * to cpu 0 and driven by {@code echoload} pinned to cpu 1.
 * <pre>
 * taskset -c 0 java -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.EchoServers protocol 25000
 * taskset -c 0 java -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.EchoServers streams 25000
 * </pre>
 * {@code protocol}: {@code dataReceived -> transport.write} (asyncio's Protocol / Netty's handler);
 * {@code streams}: one task per connection, {@code read(65536)}, {@code write}, {@code drain()};
 * {@code buffer}: the same with one reused 64 KiB buffer per connection, {@code read(ByteBuffer)} and
 * {@code write(ByteBuffer)}: no allocation per message;
 * {@code group N}: the protocol server on each of N loops ({@link LoopGroup}, one port through
 * {@link GroupServer} and {@code SO_REUSEPORT}), for echo scaling with cores: run it pinned to
 * N cores and compare with {@code protocol} on one.
 * <pre>
 * taskset -c 0,1 java -Xms2g -Xmx2g -cp jasyncio-bench.jar io.jasyncio.bench.EchoServers group 25000 2
 * </pre>
 */
public final class EchoServers {
    private EchoServers() {}

    /** Writes back whatever arrives. */
    static final class EchoProtocol implements Protocol {
        private Transport transport;

        @Override
        public void connectionMade(Transport t) {
            transport = t;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
        }
    }

    public static void main(String[] args) throws Exception {
        String kind = args.length > 0 ? args[0] : "protocol";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 25000;
        if (kind.equals("group")) {
            int loops = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
            try (LoopGroup group = new LoopGroup(loops);
                 GroupServer server = GroupServer.create(group, EchoProtocol::new, "127.0.0.1", port)) {
                System.out.println("jasyncio protocol echo server on " + loops + " loops (" + group.loops().get(0).engine()
                        + " engine) on 127.0.0.1:" + server.port() + "; stop with Ctrl-C");
                System.out.flush();
                new java.util.concurrent.CountDownLatch(1).await(); // serve until the process is stopped
            }
            return;
        }
        Asyncio.run(() -> {
            Server server = switch (kind) {
                case "protocol" -> Net.createServer(EchoProtocol::new, "127.0.0.1", port);
                case "streams" -> Net.startServer((r, w) -> {
                    while (true) {
                        byte[] data = r.read(65536);
                        if (data.length == 0) {
                            break;
                        }
                        w.write(data);
                        w.drain();
                    }
                    w.close();
                }, "127.0.0.1", port);
                case "buffer" -> Net.startServer((r, w) -> {
                    ByteBuffer buf = ByteBuffer.allocateDirect(65536);
                    while (r.read(buf.clear()) >= 0) {
                        w.write(buf.flip());
                        w.drain();
                    }
                    w.close();
                }, "127.0.0.1", port);
                default -> throw new IllegalArgumentException("unknown server " + kind + ": use protocol, streams, buffer or group");
            };
            System.out.println("jasyncio " + kind + " echo server (" + Asyncio.getRunningLoop().engine()
                    + " engine) on 127.0.0.1:" + server.port());
            server.serveForever();
            return null;
        }, LoopOptions.defaults());
    }
}
