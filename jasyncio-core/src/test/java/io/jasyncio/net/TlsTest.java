package io.jasyncio.net;

import io.jasyncio.test.StrictLoop;
import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS over real loopback sockets, with a certificate generated at test time. */
@Timeout(120)
class TlsTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.generate(dir, "localhost");
    }

    private static Server tlsEcho(TlsOptions tls) throws java.io.IOException {
        return Net.startServer((r, w) -> {
            for (byte[] line : r) {
                w.write(line);
                w.drain();
            }
            w.close();
        }, "127.0.0.1", 0, tls);
    }

    @Test
    void streamsOverTlsWithAlpnAndSession() throws Exception {
        TlsOptions server = TlsOptions.of(certs.serverContext()).alpn("echo/1", "h2");
        TlsOptions client = TlsOptions.of(certs.clientContext()).alpn("echo/1");
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = tlsEcho(server)) {
                StreamPair c = Net.openConnection("localhost", s.port(), client);
                c.writer().write("secret line\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("secret line");
                byte[] big = new byte[1 << 20]; // 1 MiB in 1 KiB lines (each under the reader's limit)
                java.util.Arrays.fill(big, (byte) 'z');
                for (int i = 1023; i < big.length; i += 1024) {
                    big[i] = '\n';
                }
                c.writer().write(big);
                c.writer().drain();
                assertThat(c.reader().readExactly(big.length)).isEqualTo(big);
                assertThat(c.writer().getExtraInfo("alpn")).isEqualTo("echo/1");
                assertThat(c.writer().getExtraInfo("sslSession")).isInstanceOf(SSLSession.class);
                c.close();
                c.writer().waitClosed();
            }
            return null;
        });
    }

    @Test
    void untrustedCertificateFailsTheHandshakeAtTheCaller() throws Exception {
        TestCertificates other = TestCertificates.generate(dir, "other");
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = tlsEcho(TlsOptions.of(other.serverContext()))) {
                assertThatThrownBy(() -> Net.openConnection("localhost", s.port(), TlsOptions.of(certs.clientContext())))
                        .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("certification path");
            }
            return null;
        });
    }

    @Test
    void hostnameMismatchIsRefusedUnlessVerificationIsOff() throws Exception {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = tlsEcho(TlsOptions.of(certs.serverContext()))) {
                assertThatThrownBy(() -> Net.openConnection("127.0.0.1", s.port(),
                        TlsOptions.of(certs.clientContext()).serverHostname("example.org")))
                        .isInstanceOf(SSLHandshakeException.class);
                StreamPair c = Net.openConnection("127.0.0.1", s.port(),
                        TlsOptions.of(certs.clientContext()).serverHostname("example.org").verifyHostname(false));
                c.writer().write("ok\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("ok");
                c.close();
            }
            return null;
        });
    }

    @Test
    void plainTextPeerAgainstATlsServerIsDroppedAndOthersContinue() throws Exception {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = tlsEcho(TlsOptions.of(certs.serverContext()))) {
                StreamPair plain = Net.openConnection("127.0.0.1", s.port());
                plain.writer().write("GET / HTTP/1.0\r\n\r\n");
                assertThat(plain.reader().read()).isEmpty(); // the server hung up
                StreamPair good = Net.openConnection("localhost", s.port(), TlsOptions.of(certs.clientContext()));
                good.writer().write("fine\n");
                assertThat(StreamReader.text(good.reader().readline())).isEqualTo("fine");
                plain.close();
                good.close();
            }
            return null;
        });
    }

    @Test
    void tlsClientAgainstAPlainServerFailsClearly() throws Exception {
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = Net.startServer((r, w) -> {
                w.write("HTTP/1.0 400 plain text here\r\n\r\n");
                w.close();
            }, "127.0.0.1", 0)) {
                assertThatThrownBy(() -> Net.openConnection("localhost", s.port(), TlsOptions.of(certs.clientContext())))
                        .isInstanceOf(SSLHandshakeException.class);
            }
            return null;
        });
    }

    @Test
    void handshakeTimeoutWhenThePeerSaysNothing() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = Thread.ofPlatform().start(() -> {
                try (Socket s = silent.accept()) {
                    Thread.sleep(3000);
                } catch (Exception ignored) {
                    // the client gives up first
                }
            });
            StrictLoop.run(StrictLoop.realTime(), () -> {
                assertThatThrownBy(() -> Net.openConnection("localhost", silent.getLocalPort(),
                        TlsOptions.of(certs.clientContext()).handshakeTimeout(Duration.ofMillis(300))))
                        .isInstanceOf(SSLHandshakeException.class).hasMessageContaining("did not finish");
                return null;
            });
            acceptor.join();
        }
    }

    private static boolean openssl() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void jasyncioClientAgainstOpensslServer() throws Exception {
        assumeTrue(openssl(), "openssl is needed for this peer test");
        Path pem = certs.pem(dir);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", pem.toString(),
                "-key", pem.toString(), "-quiet", "-naccept", "1").redirectErrorStream(true).start();
        try {
            OutputStream toServer = server.getOutputStream();
            StrictLoop.run(StrictLoop.realTime(), () -> {
                StreamPair c = null;
                for (int attempt = 0; c == null; attempt++) {
                    try {
                        c = Net.openConnection("localhost", port, TlsOptions.of(certs.clientContext()));
                    } catch (java.net.ConnectException notYet) {
                        if (attempt > 100) {
                            throw notYet;
                        }
                        sleep(0.05);
                    }
                }
                c.writer().write("hello openssl\n");
                c.writer().drain();
                // s_server -quiet prints what it receives and sends what it reads on stdin
                BufferedReader fromServer = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
                String seen = Asyncio.toThread(fromServer::readLine);
                assertThat(seen).isEqualTo("hello openssl");
                Asyncio.toThread(() -> {
                    toServer.write("hello jasyncio\n".getBytes(StandardCharsets.UTF_8));
                    toServer.flush();
                    return null;
                });
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("hello jasyncio");
                c.close();
                return null;
            });
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void opensslClientAgainstJasyncioServer() throws Exception {
        assumeTrue(openssl(), "openssl is needed for this peer test");
        String reply = StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = tlsEcho(TlsOptions.of(certs.serverContext()))) {
                int port = s.port();
                return Asyncio.toThread(() -> {
                    Process client = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                            "-servername", "localhost", "-quiet").redirectErrorStream(false).start();
                    client.getOutputStream().write("through openssl\n".getBytes(StandardCharsets.UTF_8));
                    client.getOutputStream().flush();
                    BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                    String line = in.readLine();
                    client.destroy();
                    client.waitFor(10, TimeUnit.SECONDS);
                    return line;
                });
            }
        });
        assertThat(reply).isEqualTo("through openssl");
    }

    @Test
    void startTlsUpgradesAPlainConnection() throws Exception {
        TlsOptions server = TlsOptions.of(certs.serverContext());
        TlsOptions client = TlsOptions.of(certs.clientContext()).serverHostname("localhost");
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = Net.startServer((r, w) -> {
                // a STARTTLS-like exchange: one plain line, then TLS
                assertThat(StreamReader.text(r.readline())).isEqualTo("STARTTLS");
                w.write("GO\n");
                w.drain();
                w.startTls(server, true);
                w.write(("secure " + StreamReader.text(r.readline()) + "\n").getBytes());
                w.drain();
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", s.port());
                c.writer().write("STARTTLS\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("GO");
                c.writer().startTls(client, false);
                assertThat(c.writer().getExtraInfo("sslSession")).isNotNull();
                c.writer().write("hello\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("secure hello");
                c.close();
            }
            return null;
        });
    }
}
