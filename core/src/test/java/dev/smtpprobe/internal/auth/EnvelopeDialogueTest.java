package dev.smtpprobe.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import org.junit.jupiter.api.Test;

/** The ENVELOPE states of the dialogue, event by event, without a socket. */
class EnvelopeDialogueTest {

    private static SmtpProbe.Builder probe() {
        return SmtpProbe.to("127.0.0.1").port(25).tls(TlsMode.NONE);
    }

    @Test
    void everyRecipientIsTriedThenResetAndNeverData() throws Exception {
        HandOver h = HandOver.start(probe().envelope("probe@example.org", "a@example.net", "b@example.net"));
        h.handshake(false, "PIPELINING");
        assertThat(h.last()).isEqualTo("MAIL FROM:<probe@example.org>");
        h.reply(250, "2.1.0 Ok");
        assertThat(h.last()).isEqualTo("RCPT TO:<a@example.net>");
        h.reply(250, "2.1.5 Ok");
        h.reply(251, "2.1.5 will forward");
        assertThat(h.last()).isEqualTo("RSET");
        h.reply(250, "2.0.0 Ok");
        assertThat(h.last()).isEqualTo("QUIT");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.phase()).isEqualTo(Phase.QUIT);
        assertThat(r.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientResult.Status.ACCEPTED, RecipientResult.Status.ACCEPTED);
        assertThat(h.sent).noneMatch(l -> l.startsWith("DATA"));
        assertThat(r.timings()).containsKey(Phase.ENVELOPE);
        assertThat(r.auth()).isNull();
    }

    @Test
    void rejectedRecipientsAreClassifiedAndMakeTheVerdict() throws Exception {
        HandOver h = HandOver.start(probe().envelope("probe@example.org",
                "ok@example.net", "nobody@example.net", "far@elsewhere.test", "grey@example.net", "full@example.net"));
        h.handshake(false);
        h.reply(250, "2.1.0 Ok");
        h.reply(250, "2.1.5 Ok");
        h.reply(550, "5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table");
        h.reply(554, "5.7.1 <far@elsewhere.test>: Relay access denied");
        h.reply(450, "4.7.1 <grey@example.net>: Recipient address rejected: try again later");
        h.reply(452, "4.2.2 Mailbox full");
        assertThat(h.last()).isEqualTo("RSET");
        h.reply(250, "2.0.0 Ok");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.phase()).isEqualTo(Phase.ENVELOPE);
        assertThat(r.policyReason()).isEqualTo(PolicyReason.USER_UNKNOWN);
        assertThat(r.detail()).startsWith("4 of 5 recipient(s) refused: nobody@example.net 550 5.1.1");
        assertThat(r.recipients()).extracting(RecipientResult::reason)
                .containsExactly(null, PolicyReason.USER_UNKNOWN, PolicyReason.RELAY_DENIED, PolicyReason.GREYLISTED,
                        PolicyReason.MAILBOX_FULL);
        // The headline names the refusal, not the 250 that answered RSET.
        assertThat(r.report()).startsWith("Subject: SMTP check failed: SMTP 550 permanent rejection at the envelope");
        assertThat(r.report()).contains("Recipients (RCPT TO, then RSET; no mail was sent):",
                "  - ok@example.net: ACCEPTED (250 2.1.5 Ok)",
                "  - nobody@example.net: PERMANENT_REJECTION USER_UNKNOWN (550 5.1.1 <nobody@example.net>");
        assertThat(r.recipients()).extracting(RecipientResult::status).containsExactly(
                RecipientResult.Status.ACCEPTED, RecipientResult.Status.PERMANENT_REJECTION,
                RecipientResult.Status.PERMANENT_REJECTION, RecipientResult.Status.TRANSIENT_REJECTION,
                RecipientResult.Status.TRANSIENT_REJECTION);
    }

    @Test
    void onlyTransientRejectionsAreATransientVerdict() throws Exception {
        HandOver h = HandOver.start(probe().envelope("probe@example.org", "grey@example.net"));
        h.handshake(false);
        h.reply(250, "Ok").reply(450, "4.2.0 Greylisted, see https://postgrey.example").reply(250, "Ok");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(r.policyReason()).isEqualTo(PolicyReason.GREYLISTED);
    }

    @Test
    void aRejectedSenderLeavesEveryRecipientUntried() throws Exception {
        HandOver h = HandOver.start(probe().envelope("", "a@example.net"));
        h.handshake(false);
        assertThat(h.last()).isEqualTo("MAIL FROM:<>");
        h.reply(530, "5.7.0 Authentication required");
        assertThat(h.last()).isEqualTo("QUIT");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.policyReason()).isEqualTo(PolicyReason.AUTH_REQUIRED);
        assertThat(r.detail()).contains("MAIL FROM:<> refused", "no recipient was tried");
        assertThat(r.recipients()).singleElement().extracting(RecipientResult::status).isEqualTo(RecipientResult.Status.NOT_TRIED);
    }

    @Test
    void sizeIsDeclaredWhenOfferedAndTheLimitIsQuoted() throws Exception {
        HandOver h = HandOver.start(probe().envelope("probe@example.org", "a@example.net").messageSize(20_000_000));
        h.handshake(false, "SIZE 10240000");
        assertThat(h.last()).isEqualTo("MAIL FROM:<probe@example.org> SIZE=20000000");
        h.reply(552, "5.3.4 Message size exceeds fixed limit");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.detail()).contains("20000000 bytes, the server's limit 10240000");
        assertThat(r.transcript()).anyMatch(l -> l.text().contains("exceeds the server's advertised SIZE limit"));
    }

    @Test
    void nonAsciiAddressesUseSmtpUtf8WhenOffered() throws Exception {
        HandOver h = HandOver.start(probe().envelope("probe@example.org", "jürgen@exämple.de"));
        h.handshake(false, "SMTPUTF8", "8BITMIME");
        assertThat(h.last()).isEqualTo("MAIL FROM:<probe@example.org> SMTPUTF8");
        h.reply(250, "Ok");
        assertThat(h.last()).isEqualTo("RCPT TO:<jürgen@exämple.de>");
        h.reply(250, "Ok").reply(250, "Ok");
        assertThat(h.finish().verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void nonAsciiRecipientsAreNotSentWithoutSmtpUtf8() throws Exception {
        HandOver h = HandOver.start(probe().envelope("probe@example.org", "jürgen@exämple.de", "bob@example.net"));
        h.handshake(false, "8BITMIME");
        assertThat(h.last()).isEqualTo("MAIL FROM:<probe@example.org>");
        h.reply(250, "Ok");
        assertThat(h.last()).isEqualTo("RCPT TO:<bob@example.net>");
        h.reply(250, "Ok").reply(250, "Ok");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.detail()).contains("jürgen@exämple.de needs SMTPUTF8");
        assertThat(r.recipients().get(0).status()).isEqualTo(RecipientResult.Status.NOT_TRIED);
        assertThat(r.recipients().get(1).status()).isEqualTo(RecipientResult.Status.ACCEPTED);
    }

    @Test
    void aNonAsciiSenderWithoutSmtpUtf8SendsNoMailFrom() throws Exception {
        HandOver h = HandOver.start(probe().envelope("jürgen@exämple.de", "bob@example.net"));
        h.handshake(false);
        assertThat(h.last()).isEqualTo("QUIT");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.detail()).contains("needs SMTPUTF8", "MAIL FROM was not sent");
    }

    @Test
    void envelopeRunsAfterAuthentication() throws Exception {
        HandOver h = HandOver.start(SmtpProbe.to("127.0.0.1").port(587)
                .auth("alice", "pw-123456".toCharArray()).envelope("alice@example.net", "bob@example.net"));
        h.handshake(true, "AUTH PLAIN");
        h.reply(235, "ok");
        assertThat(h.last()).isEqualTo("MAIL FROM:<alice@example.net>");
        h.reply(250, "ok").reply(250, "ok").reply(250, "ok");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.detail()).contains("AUTH PLAIN 235", "1 RCPT TO accepted");
    }

    @Test
    void whenAuthFailsRecipientsAreReportedUntried() throws Exception {
        HandOver h = HandOver.start(SmtpProbe.to("127.0.0.1").port(587)
                .auth("alice", "pw-123456".toCharArray()).envelope("alice@example.net", "bob@example.net"));
        h.handshake(true, "AUTH PLAIN");
        h.reply(535, "5.7.8 no");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.AUTH_FAILED);
        assertThat(r.recipients()).singleElement().satisfies(rr -> {
            assertThat(rr.status()).isEqualTo(RecipientResult.Status.NOT_TRIED);
            assertThat(rr.detail()).contains("AUTH_FAILED at AUTH");
        });
    }

    @Test
    void aServerClosingAfter421AtRcptEndsTheEnvelope() throws Exception {
        HandOver h = HandOver.start(probe().envelope("probe@example.org", "a@example.net", "b@example.net"));
        h.handshake(false);
        h.reply(250, "ok").reply(421, "4.7.0 too many errors, closing");
        assertThat(h.last()).isEqualTo("QUIT");
        ProbeResult r = h.finish();
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
        assertThat(r.recipients()).extracting(RecipientResult::status)
                .containsExactly(RecipientResult.Status.TRANSIENT_REJECTION, RecipientResult.Status.NOT_TRIED);
    }
}
