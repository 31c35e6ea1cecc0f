package io.jasyncio.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away key pair and certificate for {@code localhost} / 127.0.0.1, made at test time with
 * the running JDK's {@code keytool}, plus the SSL contexts built from it.
 */
final class TestCertificates {
    static final char[] PASSWORD = "changeit".toCharArray();

    final Path keystore;
    final KeyStore keys;

    private TestCertificates(Path keystore, KeyStore keys) {
        this.keystore = keystore;
        this.keys = keys;
    }

    private static TestCertificates sharedLocalhost;

    /** One {@code localhost} certificate for every test class of this JVM that needs no other (made once). */
    static synchronized TestCertificates localhost() throws Exception {
        if (sharedLocalhost == null) {
            Path dir = Files.createTempDirectory("jasyncio-certs-");
            dir.toFile().deleteOnExit();
            sharedLocalhost = generate(dir, "localhost");
            sharedLocalhost.keystore.toFile().deleteOnExit();
        }
        return sharedLocalhost;
    }

    static TestCertificates generate(Path dir, String cn) throws Exception {
        Path ks = dir.resolve(cn + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + cn, "-ext", "SAN=dns:" + cn + ",ip:127.0.0.1",
                "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + out);
        }
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            keys.load(in, PASSWORD);
        }
        return new TestCertificates(ks, keys);
    }

    SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context that trusts exactly this certificate. */
    SSLContext clientContext() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", keys.getCertificate("server"));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** The key and certificate as one PEM file, for openssl. */
    Path pem(Path dir) throws Exception {
        Path pem = dir.resolve("server.pem");
        StringBuilder sb = new StringBuilder();
        java.util.Base64.Encoder b64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
        sb.append("-----BEGIN PRIVATE KEY-----\n")
                .append(b64.encodeToString(keys.getKey("server", PASSWORD).getEncoded()))
                .append("\n-----END PRIVATE KEY-----\n");
        sb.append("-----BEGIN CERTIFICATE-----\n")
                .append(b64.encodeToString(keys.getCertificate("server").getEncoded()))
                .append("\n-----END CERTIFICATE-----\n");
        Files.writeString(pem, sb.toString());
        return pem;
    }
}
