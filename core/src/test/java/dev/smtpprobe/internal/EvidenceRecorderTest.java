package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AttemptId;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.TranscriptLine.Direction;
import dev.smtpprobe.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The evidence recorder as plain code: time read on a test ticker, bounds, redaction, the first decision, assembly. */
class EvidenceRecorderTest {

    private static final InetSocketAddress REMOTE = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);

    /** A ticker the test moves by hand. */
    private static final class ManualTicker implements Ticker {
        long now = 1_000_000_000L;

        @Override
        public long read() {
            return now;
        }

        void advance(Duration d) {
            now += d.toNanos();
        }
    }

    private final ManualTicker ticker = new ManualTicker();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final ProbeListener listener = new ProbeListener() {
        @Override
        public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
            events.add("start " + phase);
        }

        @Override
        public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
            events.add("end " + phase + " " + duration.toMillis());
        }

        @Override
        public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
            events.add("failed " + phase + " " + verdict + " " + duration.toMillis());
        }
    };

    private EvidenceRecorder recorder() {
        SmtpProbe probe = SmtpProbe.to("mx.test").tls(TlsMode.NONE).transport(new ConversationTest.HandOverTransport())
                .build();
        AttemptPlan plan = new AttemptPlan("mx.test", REMOTE, TlsMode.NONE, dev.smtpprobe.TestAccess.config(probe), probe.greetingTimeout(),
                Deadline.after(ticker.read(), probe.deadline()), ticker.read(), probe.transport(),
                ConversationTest.guarded(listener), 0);
        return new EvidenceRecorder(plan, ticker);
    }

    @Test
    void phasesAreTimedOnTheTickerAndToldToTheListener() {
        EvidenceRecorder r = recorder();
        r.startPhase(Phase.GREETING);
        ticker.advance(Duration.ofMillis(30));
        r.endPhase();
        r.startPhase(Phase.EHLO);
        ticker.advance(Duration.ofMillis(7));
        r.note("between");
        r.decide(Verdict.PROTOCOL_ERROR, "broken", null);

        Attempt a = r.attempt(null, null, List.of());
        assertThat(a.timings()).containsEntry(Phase.GREETING, Duration.ofMillis(30))
                .containsEntry(Phase.EHLO, Duration.ofMillis(7));
        assertThat(a.elapsed()).isEqualTo(Duration.ofMillis(37));
        assertThat(a.transcript().get(0).offset()).isEqualTo(Duration.ofMillis(37));
        assertThat(events).containsExactly("start GREETING", "end GREETING 30", "start EHLO",
                "failed EHLO PROTOCOL_ERROR 7");
        assertThat(a.phase()).isEqualTo(Phase.EHLO);
    }

    @Test
    void theFirstDecisionWins() {
        EvidenceRecorder r = recorder();
        r.decidedAt(Phase.STARTTLS);
        r.policyReason(PolicyReason.OTHER);
        r.decide(Verdict.STARTTLS_UNAVAILABLE, "first", new IOException("why"));
        r.decidedAt(Phase.QUIT);
        r.decide(Verdict.OK, "second", null);

        Attempt a = r.attempt(null, null, List.of());
        assertThat(a.verdict()).isEqualTo(Verdict.STARTTLS_UNAVAILABLE);
        assertThat(a.phase()).isEqualTo(Phase.STARTTLS);
        assertThat(a.detail()).isEqualTo("first");
        assertThat(a.failure().type()).isEqualTo(IOException.class.getName());
        assertThat(a.transcript()).extracting(TranscriptLine::text).containsExactly("STARTTLS_UNAVAILABLE: first");
    }

    @Test
    void theTranscriptIsBoundedAndEscaped() {
        EvidenceRecorder r = recorder();
        r.record(Direction.SERVER, "x".repeat(EvidenceRecorder.MAX_TRANSCRIPT_LINE_LENGTH * 3));
        r.record(Direction.SERVER, "bell\u0007 and\r\nnewline");
        for (int i = 0; i < EvidenceRecorder.MAX_TRANSCRIPT_LINES * 2; i++) {
            r.note("line " + i);
        }
        r.decide(Verdict.OK, "ok", null);

        List<TranscriptLine> t = r.attempt(null, null, List.of()).transcript();
        assertThat(t.get(0).text().length()).isLessThan(EvidenceRecorder.MAX_TRANSCRIPT_LINE_LENGTH + 40);
        assertThat(t.get(1).text()).doesNotContain("\u0007").doesNotContain("\r").doesNotContain("\n");
        assertThat(t.stream().mapToInt(l -> l.text().length()).sum())
                .isLessThan(EvidenceRecorder.MAX_TRANSCRIPT_CHARS + EvidenceRecorder.MAX_TRANSCRIPT_LINE_LENGTH + 40);
        assertThat(t.get(t.size() - 1).text()).endsWith("more lines not kept");
    }

    @Test
    void secretsAreScrubbedFromEveryTextAndForgottenAtAssembly() {
        EvidenceRecorder r = recorder();
        r.redaction().addSecret("hunter2-secret".toCharArray());
        r.recordReply(new SmtpReply(535, null, List.of("bad password hunter2-secret")));
        r.note("note with hunter2-secret");
        r.decide(Verdict.AUTH_FAILED, "detail with hunter2-secret", new IOException("cause hunter2-secret"));

        Attempt a = r.attempt(null, null, List.of());
        assertThat(a.toString()).doesNotContain("hunter2-secret");
        assertThat(a.transcript()).extracting(TranscriptLine::text)
                .contains("535 bad password <redacted>", "note with <redacted>");
        assertThat(a.failure().message()).contains("<redacted>");
        assertThat(r.redaction().isEmpty()).isTrue();
    }
}
