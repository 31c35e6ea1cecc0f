package io.jasyncio.net;

import io.jasyncio.test.SelfSignedCertificate;

/** The stream contract over TLS on 127.0.0.1 (TLS cannot half-close: the sender closes instead). */
class TlsStreamContractTest extends AbstractStreamContractTest {
    @Override
    protected Ends open() throws Exception {
        SelfSignedCertificate certs = SelfSignedCertificate.localhost();
        TlsOptions server = TlsOptions.of(certs.serverContext());
        TlsOptions client = TlsOptions.of(certs.clientContext());
        return SocketStreamEnds.open(h -> Net.startServer(h, "127.0.0.1", 0, server),
                s -> Net.openConnection("localhost", s.port(), client));
    }
}
