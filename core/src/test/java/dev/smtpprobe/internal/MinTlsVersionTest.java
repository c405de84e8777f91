package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerTls;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code minTlsVersion}: over real STARTTLS on loopback, a server that negotiates a version older than the minimum
 * is a finding on an OK result; a server that refuses every offered version with a {@code protocol_version} alert
 * is named; the probe offers the old versions itself where the JVM's policy allows.
 */
class MinTlsVersionTest {

    private static Script startTls(ServerTls tls) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").ehloAfterTls("mx.test")
                .onStartTls(tls);
    }

    private static Hint belowMinimum(Loopback run) {
        return run.result.hints().stream().filter(h -> h.code() == HintCode.TLS_VERSION_BELOW_MINIMUM).findFirst()
                .orElse(null);
    }

    @Test
    void aServerNegotiatingOlderThanTheMinimumIsAFindingOnAnOkResult() {
        Loopback run = Loopback.probe(startTls(Loopback.CERTS.tls12Only()), b -> b.tls(TlsMode.STARTTLS_REQUIRED)
                .minTlsVersion("1.3"));

        assertThat(run.result.verdict()).as(run.result.detail()).isEqualTo(Verdict.OK);
        assertThat(run.attempt.tls().protocol()).isEqualTo("TLSv1.2");
        Hint hint = belowMinimum(run);
        assertThat(hint).as(run.result.hints().toString()).isNotNull();
        assertThat(hint.message()).contains("negotiated TLS 1.2, older than the minimum TLS 1.3");
        assertThat(hint.evidence()).contains("minimum TLSv1.3")
                .anySatisfy(e -> assertThat(e).startsWith("negotiated TLSv1.2 (TLS_"));
    }

    @Test
    void theDefaultMinimumIsTls12SoATls12ServerIsNoFinding() {
        Loopback tls12 = Loopback.probe(startTls(Loopback.CERTS.tls12Only()), b -> b.tls(TlsMode.STARTTLS_REQUIRED));
        Loopback tls13 = Loopback.probe(startTls(Loopback.CERTS.valid().tls()), b -> b.tls(TlsMode.STARTTLS_REQUIRED)
                .minTlsVersion("TLSv1.3"));

        assertThat(SmtpProbe.to("mx.test").build().minTlsVersion()).isEqualTo("TLSv1.2");
        assertThat(tls12.result.verdict()).isEqualTo(Verdict.OK);
        assertThat(belowMinimum(tls12)).isNull();
        assertThat(tls13.attempt.tls().protocol()).isEqualTo("TLSv1.3");
        assertThat(belowMinimum(tls13)).isNull();
    }

    @Test
    void aProtocolVersionAlertNamesTheVersionsOfferedAndThoseTheJvmDisables() {
        // A server that speaks only TLS 1.0 answers a hello without it with a fatal protocol_version alert (70).
        Script script = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").on("STARTTLS",
                Effect.reply("220 2.0.0 Ready"), Effect.awaitTlsHello(),
                Effect.raw(new byte[] {0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x46}), Effect.CLOSE);

        Loopback run = Loopback.probe(script, b -> b.tls(TlsMode.STARTTLS_REQUIRED));

        assertThat(run.result.verdict()).as(run.result.detail()).isEqualTo(Verdict.TLS_HANDSHAKE_FAILED);
        Hint hint = belowMinimum(run);
        assertThat(hint).as(run.result.hints().toString()).isNotNull();
        assertThat(hint.message()).contains("protocol_version").contains("Enable TLS 1.2");
        assertThat(hint.evidence()).contains("offered " + String.join(", ", TlsVersions.offered()));
        if (!TlsVersions.offered().contains("TLSv1")) {
            assertThat(hint.message()).contains("TLS 1.0");
            assertThat(hint.evidence()).anySatisfy(e -> assertThat(e).startsWith("disabled by this JVM"));
        }
    }

    @Test
    void theProbeOffersTls10To13WhereThePolicyAllowsNotTheJvmDefaults() {
        assertThat(TlsVersions.offered(null)).containsExactly("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
        assertThat(TlsVersions.offered("SSLv3, TLSv1, TLSv1.1, RC4, DH keySize < 1024"))
                .containsExactly("TLSv1.2", "TLSv1.3");
        assertThat(TlsVersions.offered("TLSv1.1 , RSA keySize < 1024")).containsExactly("TLSv1", "TLSv1.2", "TLSv1.3");
        // The parameters a handshake gets carry them, so the transport does not fall back to its defaults.
        assertThat(StartTlsStep.parameters(Loopback.plan(SmtpProbe.to("mx.test").port(587))).protocols())
                .isEqualTo(TlsVersions.offered()).contains("TLSv1.2", "TLSv1.3");
    }

    @Test
    void olderVersionsAreBelowAndUnknownNamesAreNot() {
        assertThat(TlsVersions.below("TLSv1", "TLSv1.2")).isTrue();
        assertThat(TlsVersions.below("TLSv1.1", "TLSv1.2")).isTrue();
        assertThat(TlsVersions.below("SSLv3", "TLSv1.2")).isTrue();
        assertThat(TlsVersions.below("TLSv1.2", "TLSv1.2")).isFalse();
        assertThat(TlsVersions.below("TLSv1.2", "TLSv1.3")).isTrue();
        assertThat(TlsVersions.below("TLSv1.3", "TLSv1.3")).isFalse();
        assertThat(TlsVersions.below("NONE", "TLSv1.2")).isFalse();
    }

    @Test
    void invalidMinimumsAreRefusedNamingTheArgument() {
        SmtpProbe.Builder builder = SmtpProbe.to("mx.test");
        for (String bad : List.of("1.1", "1.0", "", "TLSv1", "SSLv3", "1.4", "tls")) {
            assertThatThrownBy(() -> builder.minTlsVersion(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("minTlsVersion");
        }
        assertThatThrownBy(() -> builder.minTlsVersion(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minTlsVersion");
        assertThat(SmtpProbe.to("mx.test").minTlsVersion(" tlsv1.3 ").build().minTlsVersion()).isEqualTo("TLSv1.3");
        assertThat(SmtpProbe.to("mx.test").minTlsVersion("1.2").build().minTlsVersion()).isEqualTo("TLSv1.2");
    }
}
