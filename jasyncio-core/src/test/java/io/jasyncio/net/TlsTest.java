package io.jasyncio.net;

import static io.jasyncio.Asyncio.createTask;
import static io.jasyncio.Asyncio.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jasyncio.Asyncio;
import io.jasyncio.test.SelfSignedCertificate;
import io.jasyncio.test.StrictLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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
    static SelfSignedCertificate certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = SelfSignedCertificate.generate(dir, "localhost", "127.0.0.1");
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
        TlsOptions server = TlsOptions.of(certs.serverContext()).withAlpn("echo/1", "h2");
        TlsOptions client = TlsOptions.of(certs.clientContext()).withAlpn("echo/1");
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
        SelfSignedCertificate other = SelfSignedCertificate.generate(dir, "other", "127.0.0.1");
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
                        TlsOptions.of(certs.clientContext()).withServerHostname("example.org")))
                        .isInstanceOf(SSLHandshakeException.class);
                StreamPair c = Net.openConnection("127.0.0.1", s.port(),
                        TlsOptions.of(certs.clientContext()).withServerHostname("example.org").withVerifyHostname(false));
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
                        TlsOptions.of(certs.clientContext()).withHandshakeTimeout(Duration.ofMillis(300))))
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
                int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Process server = new ProcessBuilder("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", certs.certificatePem().toString(),
                "-key", certs.privateKeyPem().toString(), "-quiet", "-naccept", "1").redirectErrorStream(true).start();
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
            // s_client, killed, closes TCP without close_notify: this server accepts that as the end.
            try (Server s = tlsEcho(TlsOptions.of(certs.serverContext()).withSuppressRaggedEofs(true))) {
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
        TlsOptions client = TlsOptions.of(certs.clientContext()).withServerHostname("localhost");
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

    /** A server whose handler reads 7 bytes and then the rest; the outcome of the second read completes {@code outcome}. */
    private static Server truncationObserver(TlsOptions tls, CompletableFuture<Object> outcome) throws java.io.IOException {
        return Net.startServer((r, w) -> {
            try {
                byte[] head = r.readExactly(7);
                byte[] rest = r.read();
                outcome.complete(new String(head, StandardCharsets.UTF_8) + "|" + rest.length);
            } catch (javax.net.ssl.SSLException e) {
                outcome.complete(e);
            }
            w.close();
        }, "127.0.0.1", 0, tls);
    }

    /**
     * Connects, sends "partial" and ends TCP under TLS without close_notify: a FIN straight from the
     * socket (a reset would be a different error). Returns the client, to be aborted by the caller.
     */
    private static StreamPair sendAndCut(int port) throws Exception {
        StreamPair c = Net.openConnection("localhost", port, TlsOptions.of(certs.clientContext()));
        c.writer().write("partial");
        c.writer().drain();
        ((java.nio.channels.SocketChannel) c.writer().getExtraInfo("socket")).shutdownOutput();
        return c;
    }

    @Test
    void truncationWithoutCloseNotifyIsAnErrorForTheReader() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = truncationObserver(TlsOptions.of(certs.serverContext()), outcome)) {
                StreamPair c = sendAndCut(s.port());
                Asyncio.await(outcome);
                c.writer().transport().abort();
            }
            return null;
        });
        assertThat(outcome.join()).isInstanceOf(javax.net.ssl.SSLException.class)
                .asString().contains("truncated");
    }

    @Test
    void truncationIsAPlainEndOfStreamWhenTheUserOptedIn() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = truncationObserver(TlsOptions.of(certs.serverContext()).withSuppressRaggedEofs(true), outcome)) {
                StreamPair c = sendAndCut(s.port());
                Asyncio.await(outcome);
                c.writer().transport().abort();
            }
            return null;
        });
        assertThat(outcome.join()).isEqualTo("partial|0");
    }

    @Test
    void closeNotifyThenCloseIsACleanEndOfStream() throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = truncationObserver(TlsOptions.of(certs.serverContext()), outcome)) {
                StreamPair c = Net.openConnection("localhost", s.port(), TlsOptions.of(certs.clientContext()));
                c.writer().write("partial");
                c.writer().close(); // sends close_notify
                Asyncio.await(outcome);
            }
            return null;
        });
        assertThat(outcome.join()).isEqualTo("partial|0");
    }

    @Test
    void startTlsFeedsTheClientHelloTheReaderHadAlreadyBuffered() throws Exception {
        TlsOptions server = TlsOptions.of(certs.serverContext()).withHandshakeTimeout(Duration.ofSeconds(20));
        TlsOptions client = TlsOptions.of(certs.clientContext()).withServerHostname("localhost").withHandshakeTimeout(Duration.ofSeconds(20));
        StrictLoop.run(StrictLoop.realTime(), () -> {
            try (Server s = Net.startServer((r, w) -> {
                assertThat(StreamReader.text(r.readline())).isEqualTo("STARTTLS");
                while (r.bufferedSize() == 0) { // the client did not wait for a reply: its ClientHello is here
                    sleep(0.005);
                }
                w.startTls(server, true);
                w.write(("secure " + StreamReader.text(r.readline()) + "\n").getBytes());
                w.drain();
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", s.port());
                c.writer().write("STARTTLS\n");
                c.writer().drain();
                c.writer().startTls(client, false); // at once, without waiting for the server
                c.writer().write("hello\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("secure hello");
                c.close();
            }
            return null;
        });
    }

    @Test
    void writesMadeDuringTheStartTlsHandshakeAreCountedInTheBufferAndSentEncrypted() throws Exception {
        TlsOptions server = TlsOptions.of(certs.serverContext());
        TlsOptions client = TlsOptions.of(certs.clientContext()).withServerHostname("localhost");
        byte[] payload = new byte[200 * 1024];
        new java.util.Random(7).nextBytes(payload);
        StrictLoop.run(StrictLoop.realTime(), () -> {
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            try (Server s = Net.startServer((r, w) -> {
                assertThat(StreamReader.text(r.readline())).isEqualTo("STARTTLS");
                w.write("GO\n");
                w.drain();
                w.startTls(server, true);
                received.complete(r.readExactly(payload.length));
                w.close();
            }, "127.0.0.1", 0)) {
                StreamPair c = Net.openConnection("127.0.0.1", s.port());
                c.writer().write("STARTTLS\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("GO");
                int[] bufferedDuringHandshake = {-1};
                io.jasyncio.Task<Void> upgrade = createTask(() -> {
                    c.writer().startTls(client, false);
                    return null;
                });
                Asyncio.yieldNow(); // the upgrade has begun and waits for the server's reply
                assertThat(upgrade.done()).isFalse();
                c.writer().write(payload);
                bufferedDuringHandshake[0] = c.writer().transport().getWriteBufferSize();
                c.writer().drain(); // above the high-water mark: waits for the handshake and the peer
                upgrade.await();
                assertThat(bufferedDuringHandshake[0]).isGreaterThanOrEqualTo(payload.length);
                assertThat(Asyncio.await(received)).isEqualTo(payload);
                c.close();
            }
            return null;
        });
    }

    /** A trust manager that checks like {@code inner}, but only once the loop has shown it still runs. */
    private static final class LoopWatchingTrustManager implements javax.net.ssl.X509TrustManager {
        final javax.net.ssl.X509TrustManager inner;
        final java.util.concurrent.atomic.AtomicBoolean checking = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.CountDownLatch loopRan = new java.util.concurrent.CountDownLatch(1);
        volatile Thread checkedOn;

        LoopWatchingTrustManager(javax.net.ssl.X509TrustManager inner) {
            this.inner = inner;
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            checkedOn = Thread.currentThread();
            checking.set(true);
            try {
                // On the loop thread this would wait for itself: the check must run elsewhere.
                if (!loopRan.await(20, TimeUnit.SECONDS)) {
                    throw new java.security.cert.CertificateException("the event loop was blocked during the certificate check");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.security.cert.CertificateException("interrupted");
            }
            inner.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            inner.checkClientTrusted(chain, authType);
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return inner.getAcceptedIssuers();
        }
    }

    @Test
    void certificateChecksRunOnAWorkerSoTheLoopKeepsRunning() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", certs.keyStore().getCertificate("server"));
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        LoopWatchingTrustManager tm = new LoopWatchingTrustManager((javax.net.ssl.X509TrustManager) tmf.getTrustManagers()[0]);
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
        Thread[] loopThread = new Thread[1];
        StrictLoop.run(StrictLoop.realTime(), () -> {
            Asyncio.getRunningLoop().callSoon(() -> loopThread[0] = Thread.currentThread());
            try (Server s = tlsEcho(TlsOptions.of(certs.serverContext()))) {
                io.jasyncio.Task<Void> watcher = createTask(() -> {
                    while (!tm.checking.get()) {
                        sleep(0.005);
                    }
                    tm.loopRan.countDown(); // the loop runs tasks while the check is in progress
                    return null;
                });
                StreamPair c = Net.openConnection("localhost", s.port(), TlsOptions.of(ctx));
                c.writer().write("checked\n");
                assertThat(StreamReader.text(c.reader().readline())).isEqualTo("checked");
                watcher.await();
                c.close();
            }
            return null;
        });
        assertThat(tm.checkedOn).isNotNull().isNotSameAs(loopThread[0]);
    }
}
