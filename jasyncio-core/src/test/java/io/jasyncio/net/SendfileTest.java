package io.jasyncio.net;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.yieldNow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jasyncio.CancelledError;
import io.jasyncio.Event;
import io.jasyncio.Task;
import io.jasyncio.test.SelfSignedCertificate;
import io.jasyncio.test.StrictLoop;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** sendfile over plain TCP (zero-copy), over TLS (the fallback), and sockSendfile on a raw socket. */
@Timeout(120)
class SendfileTest {
    private static final int SIZE = 3 * 1024 * 1024 + 17;

    @TempDir
    Path dir;
    Path file;
    byte[] content;

    @BeforeEach
    void makeFile() throws Exception {
        content = new byte[SIZE];
        new Random(7).nextBytes(content);
        file = Files.write(dir.resolve("data.bin"), content);
    }

    /** So that the file cannot fit in the socket buffers at once and sendfile must wait. */
    private static void smallSendBuffer(StreamWriter writer) throws java.io.IOException {
        ((SocketChannel) writer.getExtraInfo("socket")).setOption(java.net.StandardSocketOptions.SO_SNDBUF, 16 * 1024);
    }

    private static byte[] readAll(StreamReader r) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        while (true) {
            byte[] b = r.read();
            if (b.length == 0) {
                return all.toByteArray();
            }
            all.write(b);
        }
    }

    private Server fileServer(long offset, long count, TlsOptions tls, long[] sent, byte[] header) throws Exception {
        Net.ClientHandler h = (reader, writer) -> {
            try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                if (header != null) {
                    writer.write(header);
                }
                sent[0] = writer.sendfile(f, offset, count);
                sent[1] = f.position();
            }
            writer.close();
        };
        return tls == null ? Net.startServer(h, "127.0.0.1", 0) : Net.startServer(h, "127.0.0.1", 0, tls);
    }

    @Test
    void sendfileOverTcpDeliversTheWholeFileAfterWhatWasBuffered() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            long[] sent = new long[2];
            byte[] header = new byte[200_000]; // more than the socket takes at once: queued before the file
            Arrays.fill(header, (byte) 'h');
            Server server = fileServer(0, Long.MAX_VALUE, null, sent, header);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            byte[] got = readAll(c.reader());
            assertThat(got.length).isEqualTo(header.length + SIZE);
            assertThat(Arrays.copyOfRange(got, 0, header.length)).isEqualTo(header);
            assertThat(Arrays.copyOfRange(got, header.length, got.length)).isEqualTo(content);
            c.close();
            server.close();
            server.waitClosed();
            assertThat(sent[0]).isEqualTo(SIZE);
            assertThat(sent[1]).as("the file position is after what was sent").isEqualTo(SIZE);
            return null;
        });
    }

    @Test
    void sendfileWithAnOffsetAndCountSendsJustThatRange() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            long[] sent = new long[2];
            Server server = fileServer(1000, 5000, null, sent, null);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            assertThat(readAll(c.reader())).isEqualTo(Arrays.copyOfRange(content, 1000, 6000));
            c.close();
            server.close();
            server.waitClosed();
            assertThat(sent).containsExactly(5000, 6000);
            return null;
        });
    }

    @Test
    void sendfileStopsAtTheEndOfTheFile() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            long[] sent = new long[2];
            Server server = fileServer(SIZE - 10, 1000, null, sent, null);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            assertThat(readAll(c.reader())).hasSize(10);
            c.close();
            server.close();
            server.waitClosed();
            assertThat(sent[0]).isEqualTo(10);
            return null;
        });
    }

    @Test
    void sendfileOverTlsFallsBackToReadAndWrite() throws Exception {
        SelfSignedCertificate certs = SelfSignedCertificate.localhost();
        StrictLoop.run(StrictLoop.realTime(), () -> {
            long[] sent = new long[2];
            Server server = fileServer(0, Long.MAX_VALUE, TlsOptions.of(certs.serverContext()), sent, "head".getBytes());
            StreamPair c = Net.openConnection("localhost", server.port(), TlsOptions.of(certs.clientContext()));
            byte[] got = readAll(c.reader());
            assertThat(new String(got, 0, 4)).isEqualTo("head");
            assertThat(Arrays.copyOfRange(got, 4, got.length)).isEqualTo(content);
            c.close();
            server.close();
            server.waitClosed();
            assertThat(sent[0]).isEqualTo(SIZE);
            return null;
        });
    }

    @Test
    void writesAreRefusedWhileSendfileSendsAndTheStreamStaysInOrder() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Event sending = new Event();
            String[] refused = new String[1];
            Server server = Net.startServer((reader, writer) -> {
                smallSendBuffer(writer);
                try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                    Task<Long> send = createTask(() -> writer.sendfile(f));
                    yieldNow();
                    sending.set();
                    try {
                        writer.write("interleaved?");
                    } catch (IllegalStateException e) {
                        refused[0] = e.getMessage();
                    }
                    send.await();
                }
                writer.write("trailer");
                writer.close();
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port());
            sending.await();
            byte[] got = readAll(c.reader());
            assertThat(refused[0]).contains("sendfile");
            assertThat(Arrays.copyOfRange(got, 0, SIZE)).isEqualTo(content);
            assertThat(new String(got, SIZE, got.length - SIZE)).isEqualTo("trailer");
            c.close();
            server.close();
            server.waitClosed();
            return null;
        });
    }

    @Test
    void aCancelledSendfileLeavesThePositionAtWhatWasSent() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Event started = new Event();
            long[] position = new long[1];
            Server server = Net.startServer((reader, writer) -> {
                smallSendBuffer(writer);
                try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                    Task<Long> send = createTask(() -> writer.sendfile(f));
                    yieldNow();
                    started.set();
                    yieldNow();
                    send.cancel();
                    assertThatThrownBy(send::await).isInstanceOf(CancelledError.class);
                    position[0] = f.position();
                }
                writer.transport().abort();
            }, "127.0.0.1", 0);
            StreamPair c = Net.openConnection("127.0.0.1", server.port()); // never reads: the socket fills
            started.await();
            server.close();
            server.waitClosed();
            assertThat(position[0]).isBetween(0L, (long) SIZE - 1);
            c.close();
            return null;
        });
    }

    @Test
    void sockSendfileSendsOverARawNonBlockingSocket() {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                 SocketChannel client = SocketChannel.open();
                 FileChannel f = FileChannel.open(file, StandardOpenOption.READ)) {
                listener.configureBlocking(false);
                client.configureBlocking(false);
                Task<Long> sender = createTask(() -> {
                    try (SocketChannel peer = Net.sockAccept(listener)) {
                        return Net.sockSendfile(peer, f, 0);
                    }
                });
                Net.sockConnect(client, listener.getLocalAddress());
                ByteBuffer all = ByteBuffer.allocate(SIZE + 1);
                while (Net.sockRecvInto(client, all) > 0) {
                    // until the sender closes
                }
                assertThat(sender.await()).isEqualTo(SIZE);
                assertThat(all.position()).isEqualTo(SIZE);
                assertThat(Arrays.copyOf(all.array(), SIZE)).isEqualTo(content);
                assertThatThrownBy(() -> Net.sockSendfile(client, f, -1)).isInstanceOf(IllegalArgumentException.class);
                assertThatThrownBy(() -> Net.sockSendfile(client, f, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            }
            return null;
        });
    }
}
