package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HumanFormatTest {

    private final HumanFormat plain = new HumanFormat(Style.PLAIN);

    @Test
    void okShowsVerdictLineThenEvidenceAndNextAction() {
        ProbeResult result = Results.okStartTls();
        String text = plain.render(result, false);
        String[] lines = text.split("\n");

        assertThat(lines[0]).isEqualTo(result.summary()).startsWith("OK mx.example.net:587 (192.0.2.10)");
        assertThat(text)
                .contains("  remote       192.0.2.10:587 (mx.example.net)\n")
                .contains("  local        198.51.100.7:40112\n")
                .contains("  time         2026-11-22T06:30:00.123Z, took 42 ms\n")
                .contains("  timings      connect 3 ms, greeting 12 ms, ehlo 1 ms, starttls 25 ms\n")
                .contains("  banner       220 mx.example.net ESMTP\n")
                .contains("  tls          TLSv1.3, TLS_AES_128_GCM_SHA256\n")
                .contains("CN=mx.example.net; issuer CN=Example Test CA; SANs mx.example.net; valid until 2027-01-31T00:00:00Z (expires in 69 days)")
                .contains("  capabilities PIPELINING, SIZE 10240000, AUTH PLAIN LOGIN\n")
                .contains("  next         " + result.verdict().nextAction() + "\n")
                .doesNotContain("transcript:")
                .doesNotContain("last reply");
        assertThat(text).endsWith("\n");
    }

    @Test
    void transcriptOnlyWhenAsked() {
        String text = plain.render(Results.okStartTls(), true);
        assertThat(text).endsWith("transcript:\n  +0.003s * connected to 192.0.2.10:587\n"
                + "  +0.015s < 220 mx.example.net ESMTP\n  +0.016s > EHLO probe.example\n");
    }

    @Test
    void failureShowsTheErrorTheHintAndItsEvidence() {
        String text = plain.render(Results.refused(), false);
        assertThat(text.lines().findFirst()).hasValue(
                "CONNECTION_REFUSED [TCP] 192.0.2.10:25: connection refused before SMTP banner in 2 ms");
        assertThat(text)
                .contains("  remote       192.0.2.10:25\n")
                .contains("  local        (no connection made)\n")
                .contains("  error        java.net.ConnectException: Connection refused\n")
                .contains("  hint         REJECT_VS_DROP: Refused means something answered no.\n")
                .contains("evidence: TCP RST received\n")
                .contains("  next         is the mail daemon running");
    }

    @Test
    void rejectionShowsTheReplyAndThePolicyReason() {
        String text = plain.render(Results.blocklisted(), false);
        assertThat(text)
                .contains("  banner       554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org\n")
                .contains("  policy       BLOCKLIST\n");
    }

    @Test
    void dnsVerdictWithoutAttemptShowsTheTarget() {
        String text = plain.render(Results.noSuchDomain(), false);
        assertThat(text).startsWith("DNS_NO_SUCH_DOMAIN [DNS] nowhere.invalid:25: NXDOMAIN")
                .contains("  target       nowhere.invalid port 25\n")
                .doesNotContain("remote");
    }

    @Test
    void theQuitReplyIsNotShownAsEvidence() {
        // The last reply of a greeting rejection is the 221 to QUIT: not evidence of anything.
        ProbeResult result = Results.blocklisted();
        assertThat(plain.render(result, false)).doesNotContain("last reply");
        assertThat(plain.compact(result, "")).contains("policy BLOCKLIST").doesNotContain("reply \"");
    }

    @Test
    void expiryReadsNaturally() {
        Instant now = Instant.parse("2026-11-22T06:00:00Z");
        assertThat(HumanFormat.expiry(now.plus(Duration.ofDays(89)).plusSeconds(5), now)).isEqualTo("expires in 89 days");
        assertThat(HumanFormat.expiry(now.plus(Duration.ofHours(30)), now)).isEqualTo("expires in 1 day");
        assertThat(HumanFormat.expiry(now.plus(Duration.ofHours(3)), now)).isEqualTo("expires in less than a day");
        // Expired a day and a few seconds ago: 1 day, not 2.
        assertThat(HumanFormat.expiry(now.minus(Duration.ofDays(1)).minusSeconds(5), now)).isEqualTo("expired 1 day ago");
        assertThat(HumanFormat.expiry(now.minus(Duration.ofDays(30)), now)).isEqualTo("expired 30 days ago");
    }

    @Test
    void plainStyleHasNoEscapeSequences() {
        assertThat(plain.render(Results.refused(), true)).doesNotContain("\u001b");
    }

    @Test
    void ansiStyleColoursTheVerdictLineRedForAFailureAndGreenForOk() {
        HumanFormat ansi = new HumanFormat(Style.ANSI);
        assertThat(ansi.render(Results.refused(), false)).startsWith("\u001b[1m\u001b[31mCONNECTION_REFUSED");
        assertThat(ansi.render(Results.okStartTls(), false)).startsWith("\u001b[1m\u001b[32mOK ");
    }
}
