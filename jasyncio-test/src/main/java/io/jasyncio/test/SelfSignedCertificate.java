package io.jasyncio.test;

import io.jasyncio.net.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A throw-away key pair and self-signed certificate for tests of TLS servers and clients (Netty's
 * {@code SelfSignedCertificate}, Python's test {@code keycert.pem}): made at test time by the running
 * JDK's {@code keytool}, so it needs nothing installed, valid for two days, EC P-256.
 *
 * <p>What it gives: the server's and a client's {@link TlsOptions} (the client trusts exactly this
 * certificate, so verification stays on, as in production), the JDK contexts behind them, and the
 * certificate and private key as PEM files for peers outside the JVM ({@code curl --cacert},
 * {@code openssl s_server -cert -key}).
 *
 * <pre>{@code
 * SelfSignedCertificate cert = SelfSignedCertificate.localhost();
 * Server server = Net.startServer(handler, "127.0.0.1", 0, cert.serverTls());
 * StreamPair c = Net.openConnection("localhost", server.port(), cert.clientTls());
 * }</pre>
 *
 * <p>Immutable once made; safe to share between threads and test classes ({@link #localhost()} makes one
 * per JVM).
 */
public final class SelfSignedCertificate {
    private static final char[] PASSWORD = "changeit".toCharArray();
    private static final String ALIAS = "server";
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|.*:.*");
    private static SelfSignedCertificate sharedLocalhost;

    private final KeyStore keys;
    private final Path keystore;
    private final Path certificatePem;
    private final Path privateKeyPem;

    private SelfSignedCertificate(KeyStore keys, Path keystore, Path certificatePem, Path privateKeyPem) {
        this.keys = keys;
        this.keystore = keystore;
        this.certificatePem = certificatePem;
        this.privateKeyPem = privateKeyPem;
    }

    /** One certificate for {@code localhost} and {@code 127.0.0.1}, made once per JVM in a temporary directory. */
    public static synchronized SelfSignedCertificate localhost() throws IOException {
        if (sharedLocalhost == null) {
            Path dir = Files.createTempDirectory("jasyncio-certs-");
            sharedLocalhost = generate(dir, "localhost", "127.0.0.1");
            for (Path p : new Path[] {sharedLocalhost.keystore, sharedLocalhost.certificatePem, sharedLocalhost.privateKeyPem, dir}) {
                p.toFile().deleteOnExit();
            }
        }
        return sharedLocalhost;
    }

    /**
     * A new certificate whose subject is the first name and whose subject alternative names are all of
     * them (an IP literal becomes an {@code IP:} entry, anything else {@code DNS:}); its files go to {@code dir}.
     * @throws IllegalArgumentException if no name is given
     * @throws IOException if keytool fails (its output is in the message)
     */
    public static SelfSignedCertificate generate(Path dir, String... names) throws IOException {
        if (names.length == 0) {
            throw new IllegalArgumentException("a certificate needs at least one name");
        }
        List<String> san = new ArrayList<>();
        for (String name : names) {
            san.add((IP_LITERAL.matcher(name).matches() ? "ip:" : "dns:") + name);
        }
        Path keystore = dir.resolve(names[0] + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", ALIAS, "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=" + names[0], "-ext", "SAN=" + String.join(",", san),
                "-validity", "2", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("keytool could not make a certificate for " + String.join(", ", names) + ": " + out);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                keys.load(in, PASSWORD);
            }
            Path cert = dir.resolve(names[0] + ".crt.pem");
            Path key = dir.resolve(names[0] + ".key.pem");
            Files.writeString(cert, pem("CERTIFICATE", keys.getCertificate(ALIAS).getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", keys.getKey(ALIAS, PASSWORD).getEncoded()));
            return new SelfSignedCertificate(keys, keystore, cert, key);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        } catch (GeneralSecurityException e) {
            throw new IOException("keytool's keystore " + keystore + " cannot be read", e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A server context holding this key and certificate. */
    public SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context that trusts exactly this certificate (and nothing else). */
    public SSLContext clientContext() throws GeneralSecurityException {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry(ALIAS, keys.getCertificate(ALIAS));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new GeneralSecurityException("an empty trust store cannot be made", e);
        }
    }

    /** {@code TlsOptions.of(serverContext())}. */
    public TlsOptions serverTls() throws GeneralSecurityException {
        return TlsOptions.of(serverContext());
    }

    /** {@code TlsOptions.of(clientContext())}: hostname verification on. */
    public TlsOptions clientTls() throws GeneralSecurityException {
        return TlsOptions.of(clientContext());
    }

    /** The key store (PKCS12, alias {@code server}), as keytool made it. */
    public KeyStore keyStore() {
        return keys;
    }

    /** The certificate as a PEM file ({@code curl --cacert}, {@code openssl s_server -cert}). */
    public Path certificatePem() {
        return certificatePem;
    }

    /** The private key as an unencrypted PKCS#8 PEM file ({@code openssl s_server -key}). */
    public Path privateKeyPem() {
        return privateKeyPem;
    }

    @Override
    public String toString() {
        return "SelfSignedCertificate[" + certificatePem.getFileName() + "]";
    }
}
