package io.jasyncio.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    @Test
    void namesBecomeTheSubjectAndDnsOrIpAlternativeNames() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir, "api.test", "127.0.0.1", "::1");
        X509Certificate x509;
        try (InputStream in = Files.newInputStream(cert.certificatePem())) {
            x509 = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=api.test");
        assertThat(x509.getSubjectAlternativeNames()).extracting(san -> san.get(0) + "=" + san.get(1))
                .containsExactlyInAnyOrder("2=api.test", "7=127.0.0.1", "7=0:0:0:0:0:0:0:1"); // 2: DNS, 7: IP
        assertThat(x509).isEqualTo(cert.keyStore().getCertificate("server"));
    }

    @Test
    void thePrivateKeyPemIsTheCertificatesKey() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir, "localhost");
        String pem = Files.readString(cert.privateKeyPem());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        String body = String.join("", List.of(pem.split("\n")).subList(1, pem.split("\n").length - 1));
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        assertThat(key).isEqualTo(cert.keyStore().getKey("server", "changeit".toCharArray()));
    }

    @Test
    void theSharedLocalhostCertificateIsMadeOnce() throws Exception {
        assertThat(SelfSignedCertificate.localhost()).isSameAs(SelfSignedCertificate.localhost());
        assertThat(SelfSignedCertificate.localhost().clientTls().verifyHostname()).isTrue();
    }

    @Test
    void aCertificateNeedsAName() {
        assertThatThrownBy(() -> SelfSignedCertificate.generate(dir))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("a certificate needs at least one name");
    }
}
