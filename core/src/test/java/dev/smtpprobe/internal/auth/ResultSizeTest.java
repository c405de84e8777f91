package dev.smtpprobe.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The text one attempt keeps is bounded whatever the server sends: here every reply is as large as the decoder
 * allows (500 lines of 4,000 characters), and the figures of the README ("Reliability") are checked.
 */
class ResultSizeTest {

    private static String[] huge(String first) {
        String filler = "lorem ipsum dolor sit amet ".repeat(150).substring(0, 4000);
        String[] lines = new String[500];
        lines[0] = first;
        for (int i = 1; i < lines.length; i++) {
            lines[i] = filler;
        }
        return lines;
    }

    /** Every text the result keeps (each once): details, replies, capabilities, transcript, recipients, hints. */
    static long keptChars(ProbeResult r) {
        long total = r.detail().length();
        for (Attempt a : r.attempts()) {
            total += a.detail().length() + a.capabilities().serverName().length();
            total += a.capabilities().extensions().stream().mapToLong(String::length).sum();
            total += a.failure() == null ? 0 : a.failure().message().length();
            total += a.transcript().stream().map(TranscriptLine::text).mapToLong(String::length).sum();
            List<SmtpReply> replies = new ArrayList<>(List.of(a.greeting(), a.ehlo(), a.lastReply()));
            for (RecipientResult rr : a.recipients()) {
                total += rr.detail().length();
                replies.add(rr.reply());
            }
            total += replies.stream().filter(Objects::nonNull).distinct()
                    .flatMap(reply -> reply.lines().stream()).mapToLong(String::length).sum();
        }
        for (Hint h : r.hints()) {
            total += h.message().length() + h.evidence().stream().mapToLong(String::length).sum();
        }
        return total;
    }

    private static ProbeResult hostileEnvelope(int recipients) throws Exception {
        List<String> rcpts = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            rcpts.add("user" + i + "@example.net");
        }
        HandOver h = HandOver.start(SmtpProbe.to("127.0.0.1").port(25).tls(TlsMode.NONE)
                .envelope("probe@example.org", rcpts));
        h.reply(220, huge("mx.test ESMTP"));
        h.reply(250, huge("mx.test"));
        h.reply(250, huge("2.1.0 Ok"));
        for (int i = 0; i < recipients; i++) {
            h.reply(550, huge("5.7.1 rejected"));
        }
        h.reply(250, huge("2.0.0 Ok"));
        return h.finish();
    }

    @Test
    void tenRecipientsWithHugeRepliesKeepAtMost42KiB() throws Exception {
        ProbeResult r = hostileEnvelope(10);
        System.out.printf("10 recipients, every reply 2 MiB: %,d characters kept, report %,d%n", keptChars(r),
                r.report().length());
        assertThat(r.verdict()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(keptChars(r)).isLessThan(42 * 1024);
        assertThat(r.report().length()).isLessThanOrEqualTo(64 * 1024);
        assertThat(r.recipients().get(0).reply().text()).endsWith("more bytes");
        assertThat(r.greeting().text()).contains("... ").endsWith("more bytes");
    }

    @Test
    void theMostRecipientsWithHugeRepliesKeepAtMost100KiB() throws Exception {
        ProbeResult r = hostileEnvelope(100);
        System.out.printf("100 recipients, every reply 2 MiB: %,d characters kept, report %,d%n", keptChars(r),
                r.report().length());
        assertThat(r.recipients()).hasSize(100);
        assertThat(keptChars(r)).isLessThan(100 * 1024);
        assertThat(r.report().length()).isLessThanOrEqualTo(64 * 1024);
        assertThat(r.summary().length()).isLessThan(1200);
    }
}
