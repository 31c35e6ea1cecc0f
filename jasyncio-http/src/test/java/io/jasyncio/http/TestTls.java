package io.jasyncio.http;

import io.jasyncio.net.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A throw-away certificate made with the openssl command, and a client TlsOptions that trusts only it. */
record TestTls(Path cert, Path key) {
    static TestTls generate(Path dir, String subjectAltName) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=test",
                "-addext", "subjectAltName=" + subjectAltName).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl req failed: " + out);
        }
        return new TestTls(cert, key);
    }

    TlsOptions trustingOnlyThis() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("test", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return TlsOptions.of(context);
    }

    /** openssl s_server serving the files of {@code root} (-WWW: HTTP/1.0, one request per connection) on a free port. */
    PeerProcess serve(Path root) throws Exception {
        int port = PeerProcess.freePort();
        return PeerProcess.listening(port, List.of("openssl", "s_server", "-quiet", "-accept", "127.0.0.1:" + port,
                "-cert", cert.toString(), "-key", key.toString(), "-WWW"), root);
    }
}
