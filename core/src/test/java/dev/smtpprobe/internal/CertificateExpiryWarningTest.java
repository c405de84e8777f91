package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code certificateExpiryWarning}: an OK probe over real STARTTLS (the test CA) gets a hint when the server's
 * certificate ({@value TestCertificates#VALID_DAYS} days left) expires sooner than the warning.
 */
class CertificateExpiryWarningTest {

    private static Script startTls(ServerCertificate certificate) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test")
                .onStartTls(certificate.tls());
    }

    private static Hint expiryHint(Loopback run) {
        return run.result.hints().stream().filter(h -> h.code() == HintCode.CERTIFICATE_EXPIRES_SOON).findFirst()
                .orElse(null);
    }

    @Test
    void aCertificateExpiringWithinTheWarningGivesAHintOnAnOkResult() {
        Loopback run = Loopback.probe(startTls(Loopback.CERTS.valid()), b -> b.tls(TlsMode.STARTTLS_REQUIRED)
                .certificateExpiryWarning(Duration.ofDays(TestCertificates.VALID_DAYS + 1)));

        assertThat(run.result.verdict()).as(run.result.detail()).isEqualTo(Verdict.OK);
        Hint hint = expiryHint(run);
        assertThat(hint).as(run.result.hints().toString()).isNotNull();
        assertThat(hint.message()).contains("CN=localhost").contains("expires " + run.attempt.tls().leaf().notAfter())
                .containsPattern("in (89|90) days");
    }

    @Test
    void theDefaultOfFourteenDaysGivesNoHintForACertificateWithNinetyDaysLeft() {
        Loopback run = Loopback.probe(startTls(Loopback.CERTS.valid()), b -> b.tls(TlsMode.STARTTLS_REQUIRED));

        assertThat(run.result.verdict()).isEqualTo(Verdict.OK);
        assertThat(expiryHint(run)).isNull();
        assertThat(SmtpProbe.to("mx.test").build().certificateExpiryWarning()).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void zeroTurnsTheHintOffAndAFailedProbeGetsNone() {
        Loopback off = Loopback.probe(startTls(Loopback.CERTS.valid()), b -> b.tls(TlsMode.STARTTLS_REQUIRED)
                .certificateExpiryWarning(Duration.ZERO));
        Loopback failed = Loopback.probe(startTls(Loopback.CERTS.expired()), b -> b.tls(TlsMode.STARTTLS_REQUIRED)
                .certificateExpiryWarning(Duration.ofDays(3650)));

        assertThat(off.result.verdict()).isEqualTo(Verdict.OK);
        assertThat(expiryHint(off)).isNull();
        assertThat(failed.result.verdict()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(expiryHint(failed)).isNull();
    }

    @Test
    void invalidWarningsAreRefusedNamingTheArgument() {
        SmtpProbe.Builder builder = SmtpProbe.to("mx.test");
        assertThatThrownBy(() -> builder.certificateExpiryWarning(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certificateExpiryWarning");
        assertThatThrownBy(() -> builder.certificateExpiryWarning(Duration.ofDays(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificateExpiryWarning");
        assertThatThrownBy(() -> builder.certificateExpiryWarning(Duration.ofDays(3651)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("certificateExpiryWarning");
    }
}
