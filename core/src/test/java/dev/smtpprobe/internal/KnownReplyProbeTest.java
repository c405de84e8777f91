package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.KnownReply;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.Script;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Known replies end to end: a scripted server on loopback rejects, and the result names cause, owner and fix. */
class KnownReplyProbeTest {

    @Test
    void a_spamhaus_rejection_at_the_greeting_is_explained_in_the_result_and_the_report() {
        Loopback run = Loopback.probe(Script.greeting("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked"
                + " using zen.spamhaus.org; https://www.spamhaus.org/query/ip/127.0.0.1"));

        assertThat(run.attempt.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(run.attempt.knownReply().map(KnownReply::provider)).hasValue("Spamhaus (blocklist)");
        assertThat(run.result.knownReply()).isEqualTo(run.attempt.knownReply());
        String report = Report.render(run.result);
        assertThat(report).contains("Known reply:", "Spamhaus (blocklist)", "Cause:", "Who fixes it:    your provider",
                "Fix:", "check.spamhaus.org", "(checked 20");
    }

    @Test
    void a_microsoft_banned_ip_refusal_of_a_recipient_is_explained() {
        Loopback run = Loopback.probe(Script.greeting("220 mx.test ESMTP").rcpt("a@mx.test",
                        "550 5.7.606 Access denied, banned sending IP [127.0.0.1]. To request removal from this list"
                                + " please visit https://sender.office.com/ and follow the directions."),
                b -> b.envelope("probe@client.test", "a@mx.test"));

        assertThat(run.attempt.phase()).isEqualTo(Phase.ENVELOPE);
        KnownReply known = run.attempt.knownReply().orElseThrow();
        assertThat(known.provider()).isEqualTo("Microsoft 365");
        assertThat(known.owner()).isEqualTo(KnownReply.Owner.YOUR_PROVIDER);
        assertThat(known.fix()).contains("sender.office.com");
    }

    @Test
    void a_gmail_credentials_refusal_at_auth_is_explained() {
        Script server = Script.greeting("220 smtp.gmail.test ESMTP").ehlo("smtp.gmail.test", "STARTTLS")
                .ehloAfterTls("smtp.gmail.test", "AUTH LOGIN PLAIN").onStartTls(Loopback.CERTS.valid().tls())
                .onAuth("535-5.7.8 Username and Password not accepted. Learn more at",
                        "535 5.7.8  https://support.google.com/mail/?p=BadCredentials x1-20020a05.1 - gsmtp");
        Loopback run = Loopback.probe(server,
                b -> b.tls(TlsMode.STARTTLS_REQUIRED).auth("user@gmail.test", "not-the-app-password".toCharArray()));

        assertThat(run.attempt.phase()).isEqualTo(Phase.AUTH);
        assertThat(run.attempt.knownReply().map(KnownReply::rule)).hasValue(
                "535 5.7.8 \"username and password not accepted|badcredentials\"");
        assertThat(Report.render(run.result)).contains("Who fixes it:    you").doesNotContain("not-the-app-password");
    }

    @Test
    void the_users_own_entries_win_and_give_the_reason(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ours.tsv");
        Files.writeString(file, "smtp-probe-known-replies 1\n"
                + "Our gateway\t554\t*\tacme-42\tREPUTATION\tthe recipient's admin\tThe gateway scores this IP low."
                + "\tOpen a ticket with the mail team.\thttps://wiki.acme.test/mail\t2026-12-02\n", StandardCharsets.UTF_8);

        Loopback run = Loopback.probe(Script.greeting("554 5.7.1 ACME-42 go away"), b -> b.knownReplies(file));

        assertThat(run.attempt.knownReply().map(KnownReply::provider)).hasValue("Our gateway");
        // The classifier found nothing specific in "go away"; the entry's reason is used.
        assertThat(run.attempt.policyReason()).isEqualTo(PolicyReason.REPUTATION);
        assertThat(Report.render(run.result)).contains("the recipient's admin", "Open a ticket with the mail team.");
    }

    @Test
    void an_unknown_rejection_has_no_known_reply_and_an_ok_probe_neither() {
        Loopback rejected = Loopback.probe(Script.greeting("554 5.3.2 not today"));
        Loopback ok = Loopback.probe(Script.greeting("220 mx.test ESMTP"));

        assertThat(rejected.attempt.knownReply()).isEmpty();
        assertThat(Report.render(rejected.result)).doesNotContain("Known reply:");
        assertThat(ok.attempt.knownReply()).isEmpty();
    }

    /** About 2 MiB (the decoder allows 512 lines of 4 KiB) in 505 continuation lines after the words that name the list: classified, matched, bounded. */
    @Test
    void a_2_MiB_multi_line_rejection_is_classified_and_matched() {
        StringBuilder sb = new StringBuilder("554-5.7.1 Client host [127.0.0.1] blocked using zen.spamhaus.org\r\n");
        String filler = "554-" + "z".repeat(4090) + "\r\n";
        for (int i = 0; i < 505; i++) {
            sb.append(filler);
        }
        sb.append("554 5.7.1 end\r\n");
        Loopback run = Loopback.probe(Script.greeting(Effect.raw(sb.toString())));

        assertThat(run.attempt.verdict()).as(run.attempt.detail()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(run.attempt.policyReason()).isEqualTo(PolicyReason.BLOCKLIST);
        assertThat(run.attempt.knownReply().map(KnownReply::provider)).hasValue("Spamhaus (blocklist)");
    }
}
