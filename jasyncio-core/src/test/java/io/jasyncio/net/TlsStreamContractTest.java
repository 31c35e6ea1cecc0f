package io.jasyncio.net;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The stream contract over TLS on 127.0.0.1 (TLS cannot half-close: the sender closes instead). */
class TlsStreamContractTest extends AbstractStreamContractTest {
    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        certs = TestCertificates.generate(dir, "localhost");
    }

    @Override
    protected Ends open() throws Exception {
        TlsOptions server = TlsOptions.of(certs.serverContext());
        TlsOptions client = TlsOptions.of(certs.clientContext());
        return SocketStreamEnds.open(h -> Net.startServer(h, "127.0.0.1", 0, server),
                s -> Net.openConnection("localhost", s.port(), client));
    }
}
