package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * {@code tlsServerName}: the probe connects to 127.0.0.1 and verifies the certificate as another name, over a real
 * loopback socket with real TLS (the test CA), for STARTTLS and implicit TLS.
 */
class TlsServerNameTest {

    private static Script startTls(ServerCertificate certificate) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test")
                .onStartTls(certificate.tls());
    }

    private static Script implicitTls(ServerCertificate certificate) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test").tlsOnConnect(certificate.tls());
    }

    @Test
    void anAddressVerifiedAsTheGivenNameIsOkWhenTheCertificateNamesIt() {
        Loopback run = Loopback.probe(startTls(Loopback.CERTS.wrongHost()),
                b -> b.tls(TlsMode.STARTTLS_REQUIRED).tlsServerName(TestCertificates.WRONG_HOST));

        assertThat(run.attempt.verdict()).as(run.attempt.detail()).isEqualTo(Verdict.OK);
        assertThat(run.attempt.tls()).isNotNull();
        assertThat(run.connection.tlsProtocol()).isPresent();
    }

    @Test
    void withoutTheNameTheSameCertificateIsInvalidForTheAddress() {
        Loopback run = Loopback.probe(startTls(Loopback.CERTS.wrongHost()), b -> b.tls(TlsMode.STARTTLS_REQUIRED));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(run.attempt.detail()).contains("127.0.0.1");
    }

    @Test
    void aCertificateForAnotherNameIsInvalidAndTheDetailNamesTheGivenName() {
        Loopback run = Loopback.probe(startTls(Loopback.CERTS.valid()),
                b -> b.tls(TlsMode.STARTTLS_REQUIRED).tlsServerName("mx.example.net"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(run.attempt.detail()).contains("hostname mismatch").contains("not mx.example.net");
    }

    @Test
    void implicitTlsIsVerifiedAsTheGivenNameToo() {
        Loopback ok = Loopback.probe(implicitTls(Loopback.CERTS.wrongHost()),
                b -> b.tls(TlsMode.IMPLICIT).tlsServerName(TestCertificates.WRONG_HOST));
        Loopback mismatch = Loopback.probe(implicitTls(Loopback.CERTS.valid()),
                b -> b.tls(TlsMode.IMPLICIT).tlsServerName("mx.example.net"));

        assertThat(ok.attempt.verdict()).as(ok.attempt.detail()).isEqualTo(Verdict.OK);
        assertThat(ok.attempt.tls()).isNotNull();
        assertThat(mismatch.attempt.verdict()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(mismatch.attempt.detail()).contains("not mx.example.net");
    }

    @Test
    void theNameIsSentInSni() {
        ServerCertificate certificate = Loopback.CERTS.wrongHost();
        Loopback run = Loopback.probe(startTls(certificate),
                b -> b.tls(TlsMode.STARTTLS_REQUIRED).tlsServerName(TestCertificates.WRONG_HOST));

        assertThat(run.connection.sniHostNames()).containsExactly(TestCertificates.WRONG_HOST);
    }

    @Test
    void invalidNamesAreRefusedNamingTheArgument() {
        SmtpProbe.Builder builder = SmtpProbe.to("127.0.0.1");
        assertThatThrownBy(() -> builder.tlsServerName(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tlsServerName");
        assertThatThrownBy(() -> builder.tlsServerName(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tlsServerName");
        assertThatThrownBy(() -> builder.tlsServerName("mx example")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tlsServerName");
        assertThatThrownBy(() -> builder.tlsServerName("a".repeat(254))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tlsServerName");
        assertThat(builder.tlsServerName("mx.example.net").build().tlsServerName()).isEqualTo("mx.example.net");
        assertThat(SmtpProbe.to("127.0.0.1").build().tlsServerName()).isNull();
    }
}
