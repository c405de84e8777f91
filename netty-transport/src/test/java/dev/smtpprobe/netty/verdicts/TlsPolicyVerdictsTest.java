package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.HintCode;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TlsPolicy;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import org.junit.jupiter.api.Test;

/**
 * Opportunistic TLS through the Netty transport: the handshake accepts the chain and the probe judges it after,
 * so a certificate for another host is an OK result with a hint, while {@link TlsPolicy#VERIFY} still refuses it.
 */
class TlsPolicyVerdictsTest extends VerdictTestSupport {

    private static Script startTls(ServerCertificate certificate) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test")
                .onStartTls(certificate.tls());
    }

    @Test
    void opportunisticTlsMakesACertificateForAnotherHostAFinding() {
        serve(startTls(CERTS.wrongHost()));

        ProbeResult result = probe(TlsMode.STARTTLS_REQUIRED).tlsPolicy(TlsPolicy.OPPORTUNISTIC).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
        assertThat(result.tls()).isNotNull();
        assertThat(result.tlsPolicy().policy()).isEqualTo(TlsPolicy.OPPORTUNISTIC);
        assertThat(result.hints()).anySatisfy(h -> {
            assertThat(h.code()).isEqualTo(HintCode.TLS_CERTIFICATE_NOT_VERIFIED);
            assertThat(h.message()).contains("certificate-host-mismatch");
        });
    }

    @Test
    void verifyRefusesTheSameCertificate() {
        serve(startTls(CERTS.wrongHost()));

        ProbeResult result = probe(TlsMode.STARTTLS_REQUIRED).tlsPolicy(TlsPolicy.VERIFY).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(result.tlsPolicy().policy()).isEqualTo(TlsPolicy.VERIFY);
    }
}
