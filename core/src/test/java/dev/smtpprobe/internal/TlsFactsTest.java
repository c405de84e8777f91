package dev.smtpprobe.internal;

import static dev.smtpprobe.internal.TlsHandshake.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.TlsInfo;
import io.netty.pkitesting.X509Bundle;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TlsFactsTest {

    static X509Bundle ca;
    static X509Bundle server;

    @BeforeAll
    static void certificates() throws Exception {
        ca = TlsHandshake.ca("Test CA");
        server = TlsHandshake.validServer("mx.example.net", "mx.example.net", "smtp.example.net", "192.0.2.25",
                        "2001:db8::25")
                .subject("CN=mx.example.net,O=Example\\, Inc.,C=NL")
                .serial(new BigInteger("1a2b3c4d5e", 16))
                .buildIssuedBy(ca);
    }

    @Test
    void reads_protocol_cipher_and_chain_of_a_real_session() throws Exception {
        TlsHandshake.Outcome outcome = TlsHandshake.run(server, TlsHandshake.trusting(ca.getCertificate()),
                "mx.example.net", true);
        assertThat(outcome.succeeded()).as("%s", outcome.clientFailure()).isTrue();

        TlsInfo info = TlsFacts.of(outcome.session(), NOW);

        assertThat(info.protocol()).isEqualTo("TLSv1.3");
        assertThat(info.cipherSuite()).startsWith("TLS_").isEqualTo(outcome.session().getCipherSuite());
        assertThat(info.peerCertificates()).isNotEmpty();
        assertThat(info.leaf().subject()).isEqualTo("CN=mx.example.net,O=Example\\, Inc.,C=NL");
        assertThat(info.leaf().issuer()).isEqualTo("CN=Test CA");
    }

    @Test
    void reads_tls12_too() throws Exception {
        TlsHandshake.Outcome outcome = TlsHandshake.run(server, TlsHandshake.trusting(ca.getCertificate()),
                "mx.example.net", true, "TLSv1.2");

        assertThat(TlsFacts.of(outcome.session(), NOW).protocol()).isEqualTo("TLSv1.2");
    }

    @Test
    void a_session_without_peer_certificates_has_an_empty_chain() throws Exception {
        // A pure seam: no JDK provider negotiates an anonymous suite any more, so the session is stubbed.
        SSLSession session = mock(SSLSession.class);
        when(session.getProtocol()).thenReturn("TLSv1.2");
        when(session.getCipherSuite()).thenReturn("TLS_DH_anon_WITH_AES_128_GCM_SHA256");
        when(session.getPeerCertificates()).thenThrow(new SSLPeerUnverifiedException("peer not authenticated"));

        TlsInfo info = TlsFacts.of(session, NOW);

        assertThat(info.protocol()).isEqualTo("TLSv1.2");
        assertThat(info.peerCertificates()).isEmpty();
        assertThat(info.leaf()).isNull();
    }

    @Test
    void describes_a_certificate() throws Exception {
        CertificateInfo c = TlsFacts.certificate(server.getCertificate(), NOW);

        assertThat(c.subject()).isEqualTo("CN=mx.example.net,O=Example\\, Inc.,C=NL");
        assertThat(c.issuer()).isEqualTo("CN=Test CA");
        assertThat(c.subjectAlternativeNames())
                .containsExactly("mx.example.net", "smtp.example.net", "192.0.2.25", "2001:db8::25");
        assertThat(c.notBefore()).isEqualTo(NOW.minus(10, ChronoUnit.DAYS));
        assertThat(c.notAfter()).isEqualTo(NOW.plus(80, ChronoUnit.DAYS));
        assertThat(c.daysToExpiry()).isEqualTo(80);
        assertThat(c.serialNumber()).isEqualTo("1A2B3C4D5E");
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(server.getCertificate().getEncoded());
        assertThat(c.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}")
                .isEqualToIgnoringCase(HexFormat.ofDelimiter(":").formatHex(digest));
    }

    @Test
    void counts_whole_days_to_expiry_rounding_down() throws Exception {
        var cert = TlsHandshake.server("x", NOW.minus(100, ChronoUnit.DAYS), NOW.plus(Duration.ofHours(36)))
                .buildIssuedBy(ca).getCertificate();

        assertThat(TlsFacts.certificate(cert, NOW).daysToExpiry()).isEqualTo(1);
        assertThat(TlsFacts.certificate(cert, NOW.plus(Duration.ofHours(35))).daysToExpiry()).isZero();
        // Expired 12 hours ago is already negative, not "0 days".
        assertThat(TlsFacts.certificate(cert, NOW.plus(Duration.ofHours(48))).daysToExpiry()).isEqualTo(-1);
        assertThat(TlsFacts.certificate(cert, NOW.plus(Duration.ofDays(14))).daysToExpiry()).isEqualTo(-13);
    }

    @Test
    void a_certificate_without_alternative_names_has_none() throws Exception {
        var cert = TlsHandshake.validServer("mx.example.net").buildIssuedBy(ca).getCertificate();

        assertThat(TlsFacts.certificate(cert, NOW).subjectAlternativeNames()).isEmpty();
    }

    @Test
    void a_chain_seen_in_a_failed_handshake_has_no_protocol_or_cipher() throws Exception {
        TlsInfo info = TlsFacts.ofChain(server.getCertificatePathWithRoot(), NOW);

        assertThat(info.protocol()).isEmpty();
        assertThat(info.cipherSuite()).isEmpty();
        assertThat(info.peerCertificates()).extracting(CertificateInfo::subject)
                .containsExactly("CN=mx.example.net,O=Example\\, Inc.,C=NL", "CN=Test CA");
        assertThat(TlsFacts.ofChain(null, NOW).peerCertificates()).isEmpty();
    }

    @Test
    void writes_ipv6_in_the_short_form() throws Exception {
        assertThat(TlsFacts.ipText(InetAddress.getByName("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(TlsFacts.ipText(InetAddress.getByName("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(TlsFacts.ipText(InetAddress.getByName("::1"))).isEqualTo("::1");
        assertThat(TlsFacts.ipText(InetAddress.getByName("::"))).isEqualTo("::");
        assertThat(TlsFacts.ipText(InetAddress.getByName("fe80::"))).isEqualTo("fe80::");
        assertThat(TlsFacts.ipText(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1");
    }
}
