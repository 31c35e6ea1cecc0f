package io.jasyncio.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.jasyncio.ExceptionContext;
import io.jasyncio.test.SelfSignedCertificate;
import io.jasyncio.test.StrictLoop;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debug mode's leak report for TLS: a TLS connection is a protocol over a {@link SocketTransport}, so one
 * never closed is reported as that socket transport, with the line that opened it; one closed is not.
 */
@Timeout(60)
class TlsLeakTest {
    @TempDir
    static Path dir;

    @Test
    void aTlsConnectionNeverClosedIsReportedWithTheLineThatOpenedIt() throws Exception {
        SelfSignedCertificate certs = SelfSignedCertificate.generate(dir, "localhost", "127.0.0.1");
        TlsOptions client = TlsOptions.of(certs.clientContext());
        // The peer is a plain blocking TLS server on a thread of its own: a peer on the same loop would be
        // cancelled by the runner and close its side first (close_notify), and the client would then close
        // its socket by itself, which is no leak.
        try (SSLServerSocket listener = (SSLServerSocket) certs.serverContext().getServerSocketFactory()
                .createServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread peer = Thread.ofPlatform().daemon().name("tls-leak-peer").start(() -> {
                try {
                    while (true) {
                        Socket s = listener.accept();
                        accepted.add(s);
                        Thread.ofPlatform().daemon().name("tls-leak-peer-reader").start(() -> {
                            try {
                                while (s.getInputStream().read(new byte[256]) >= 0) {
                                    // reads until the client closes: this side never closes first
                                }
                            } catch (IOException e) {
                                // closed by the test at the end
                            }
                        });
                    }
                } catch (IOException e) {
                    // the listener closed: done
                }
            });
            List<String> leaks = StrictLoop.runCollecting(StrictLoop.realTime().withDebug(true), () -> {
                StreamPair closed = Net.openConnection("localhost", listener.getLocalPort(), client);
                closed.close();
                closed.writer().waitClosed();
                StreamPair forgotten = Net.openConnection("localhost", listener.getLocalPort(), client); // never closed
                forgotten.writer().write("hello\n");
                forgotten.writer().drain();
                return null;
            }).stream().map(ExceptionContext::message).filter(m -> m.contains("was never closed")).toList();
            assertThat(leaks).singleElement().satisfies(m -> assertThat(m).startsWith("SocketTransport to localhost/127.0.0.1:")
                    .contains("was never closed (still open when its event loop closed); created at io.jasyncio.net.TlsLeakTest."));
            listener.close();
            for (Socket s : accepted) {
                // SSLSocket.close() reads until the peer's close_notify, and the leaked client never sends
                // one: bound that read (a socket read ignores the JUnit timeout's interrupt), then drop it
                s.setSoTimeout(200);
                try {
                    s.close();
                } catch (IOException e) {
                    // the bounded read timed out: the socket is closed anyway
                }
            }
            peer.join(10_000);
        }
    }
}
