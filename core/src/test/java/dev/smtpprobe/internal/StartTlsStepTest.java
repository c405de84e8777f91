package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine.Direction;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Script;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The STARTTLS step over a real loopback socket with real TLS (the test CA): upgrade, EHLO again, or refusal. */
class StartTlsStepTest {

    private static Script submission() {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS")
                .ehloAfterTls("mx.test", "AUTH PLAIN").onStartTls(Loopback.CERTS.valid().tls());
    }

    @Test
    void upgradesAndSaysEhloAgainOverTls() {
        Loopback run = Loopback.probe(submission(), b -> b.tls(TlsMode.STARTTLS_REQUIRED));

        assertThat(run.attempt.verdict()).as(run.attempt.detail()).isEqualTo(Verdict.OK);
        assertThat(run.commands()).containsExactly("EHLO client.test", "STARTTLS", "EHLO client.test", "QUIT");
        assertThat(run.attempt.tls()).isNotNull();
        assertThat(run.connection.tlsProtocol()).isPresent();
        assertThat(run.attempt.capabilities().extensions()).contains("AUTH PLAIN").doesNotContain("STARTTLS");
        assertThat(run.attempt.timings()).containsKey(Phase.STARTTLS);
        assertThat(run.attempt.detail()).contains("STARTTLS " + run.attempt.tls().protocol());
        assertThat(run.transcript(Direction.INFO)).contains("TLS handshake (STARTTLS)");
    }

    @Test
    void requiredButNotAdvertisedIsUnavailableAtStartTls() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP"), b -> b.tls(TlsMode.STARTTLS_REQUIRED));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
        assertThat(run.attempt.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(run.attempt.detail()).contains("does not advertise it");
        assertThat(run.commands()).containsExactly("EHLO client.test", "QUIT");
    }

    @Test
    void optionalAndNotAdvertisedContinuesInPlainText() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP"), b -> b.tls(TlsMode.STARTTLS));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.OK);
        assertThat(run.attempt.tls()).isNull();
        assertThat(run.attempt.detail()).contains("no STARTTLS offered (plain text)");
        assertThat(run.transcript(Direction.INFO)).contains("the server does not offer STARTTLS; continuing in plain text");
    }

    @Test
    void advertisedButRefused() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .on("STARTTLS", "454 4.7.0 TLS not available due to temporary reason"), b -> b.tls(TlsMode.STARTTLS));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
        assertThat(run.attempt.detail()).contains("advertised STARTTLS but refused it");
        assertThat(run.commands()).containsExactly("EHLO client.test", "STARTTLS", "QUIT");
    }

    @Test
    void appliesOnlyInAStartTlsModeOnAPlainSession() {
        StartTlsStep step = new StartTlsStep(new EhloStep());
        Step.Context ctx = Mockito.mock(Step.Context.class);
        Mockito.when(ctx.plan()).thenReturn(Loopback.plan(SmtpProbe.to("mx.test").tls(TlsMode.STARTTLS)));
        assertThat(step.applies(ctx)).isTrue();
        Mockito.when(ctx.tlsActive()).thenReturn(true);
        assertThat(step.applies(ctx)).as("already encrypted").isFalse();

        Mockito.when(ctx.tlsActive()).thenReturn(false);
        Mockito.when(ctx.plan()).thenReturn(Loopback.plan(SmtpProbe.to("mx.test").tls(TlsMode.IMPLICIT)));
        assertThat(step.applies(ctx)).isFalse();
        Mockito.when(ctx.plan()).thenReturn(Loopback.plan(SmtpProbe.to("mx.test").tls(TlsMode.NONE)));
        assertThat(step.applies(ctx)).isFalse();
    }
}
