package dev.smtpprobe.netty.hostile;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TranscriptLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Every text a {@link ProbeResult} holds or renders, for tests that bound it or look for control characters. */
final class ResultText {

    private ResultText() {
    }

    /** The total number of characters across {@link #all}. */
    static long totalChars(ProbeResult result) {
        return all(result).stream().mapToLong(String::length).sum();
    }

    /**
     * Every text accessor of the result and of its parts: summary, detail, report, toString, each attempt's detail,
     * replies (lines and rendered), capabilities, failure, transcript lines, authentication, recipients and hints.
     * A text reachable through two accessors counts twice.
     */
    static List<String> all(ProbeResult result) {
        List<String> texts = rendered(result);
        for (Attempt a : result.attempts()) {
            for (SmtpReply reply : replies(a)) {
                texts.addAll(reply.lines());
            }
            texts.add(a.capabilities().serverName());
            texts.addAll(a.capabilities().extensions());
        }
        return texts;
    }

    /**
     * The texts meant for people (everything but the data as the server sent it, {@link SmtpReply#lines()} and
     * the capabilities): each must be printable.
     */
    static List<String> rendered(ProbeResult result) {
        List<String> texts = new ArrayList<>();
        texts.add(result.summary());
        texts.add(result.detail());
        texts.add(result.report());
        texts.add(result.toString());
        for (TranscriptLine line : result.transcript()) {
            texts.add(line.text());
        }
        for (Attempt a : result.attempts()) {
            texts.add(a.detail());
            texts.add(a.toString());
            for (SmtpReply reply : replies(a)) {
                texts.add(reply.toString());
            }
            if (a.failure() != null) {
                texts.add(a.failure().toString());
            }
            for (TranscriptLine line : a.transcript()) {
                texts.add(line.text());
            }
            if (a.auth() != null) {
                texts.add(a.auth().toString());
            }
            for (RecipientResult r : a.recipients()) {
                texts.add(r.detail());
                texts.add(r.toString());
            }
        }
        for (Hint h : result.hints()) {
            texts.add(h.message());
            texts.addAll(h.evidence());
        }
        return texts;
    }

    /** Every reply an attempt keeps: greeting, EHLO, last reply, AUTH's and each recipient's. */
    private static List<SmtpReply> replies(Attempt a) {
        List<SmtpReply> replies = new ArrayList<>();
        replies.add(a.greeting());
        replies.add(a.ehlo());
        replies.add(a.lastReply());
        replies.add(a.auth() == null ? null : a.auth().reply());
        a.recipients().forEach(r -> replies.add(r.reply()));
        replies.removeIf(Objects::isNull);
        return replies;
    }
}
