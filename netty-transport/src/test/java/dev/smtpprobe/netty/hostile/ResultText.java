package dev.smtpprobe.netty.hostile;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TranscriptLine;
import java.util.ArrayList;
import java.util.List;

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
            reply(a.greeting(), texts);
            reply(a.ehlo(), texts);
            reply(a.lastReply(), texts);
            texts.add(a.capabilities().serverName());
            texts.addAll(a.capabilities().extensions());
            if (a.failure() != null) {
                texts.add(a.failure().toString());
            }
            for (TranscriptLine line : a.transcript()) {
                texts.add(line.text());
            }
            if (a.auth() != null) {
                texts.add(a.auth().toString());
                reply(a.auth().reply(), texts);
            }
            for (RecipientResult r : a.recipients()) {
                texts.add(r.detail());
                texts.add(r.toString());
                reply(r.reply(), texts);
            }
        }
        for (Hint h : result.hints()) {
            texts.add(h.message());
            texts.addAll(h.evidence());
        }
        return texts;
    }

    private static void reply(SmtpReply reply, List<String> texts) {
        if (reply != null) {
            texts.addAll(reply.lines());
            texts.add(reply.toString());
        }
    }
}
