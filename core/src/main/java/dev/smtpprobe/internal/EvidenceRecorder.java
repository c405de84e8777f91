package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.KnownReply;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.TranscriptLine.Direction;
import dev.smtpprobe.Verdict;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Objects;

/**
 * The evidence of one connection attempt: the transcript (bounded, escaped and scrubbed of secrets), the time of
 * each phase (told to the listener as it starts and ends), the replies that describe the server, and the decision
 * (the first wins). {@link #attempt} assembles them into the {@link Attempt}.
 *
 * <p>Every text recorded goes through the attempt's {@link Redaction} first: once a secret is in play, no line,
 * note, detail or failure message kept here can contain it. Not threadsafe: its {@link Conversation} holds the lock.
 */
final class EvidenceRecorder {

    private static final LazyLogger log = new LazyLogger(EvidenceRecorder.class);

    /** At most this many transcript lines are kept per attempt; a hostile server cannot grow it further. */
    static final int MAX_TRANSCRIPT_LINES = 1000;
    /** Transcript lines are cut to this many characters. */
    static final int MAX_TRANSCRIPT_LINE_LENGTH = 1000;
    /** At most this many characters of transcript are kept per attempt, whatever the number of lines. */
    static final int MAX_TRANSCRIPT_CHARS = 16 * 1024;

    private final AttemptPlan plan;
    private final Ticker ticker;
    private final Instant startedAt;
    private final long startNanos;
    private final Redaction redaction = new Redaction();

    private final List<TranscriptLine> transcript = new ArrayList<>();
    private int droppedTranscriptLines;
    private int transcriptChars;
    private final EnumMap<Phase, Duration> timings = new EnumMap<>(Phase.class);
    private Phase phase;
    private long phaseStartNanos;

    private InetSocketAddress local;
    private SmtpReply greeting;
    private SmtpReply ehlo;
    private SmtpReply lastReply;
    private Capabilities capabilities = Capabilities.NONE;
    /** What EHLO advertised before STARTTLS; {@code null} when the session was not upgraded with STARTTLS. */
    private Capabilities capabilitiesBeforeTls;

    private Verdict verdict;
    private Phase decidedPhase;
    private String detail = "";
    private PolicyReason policyReason;
    private FailureInfo failure;
    /** The last 4xx/5xx reply, and what the table of known replies says about the reply it matched last. */
    private SmtpReply lastRejection;
    private SmtpReply matchedReply;
    private ReplyKnowledge.Entry matched;
    private String ehloName;

    /**
     * @param plan   the attempt (listener, host, clocks)
     * @param ticker the monotonic time of timings and transcript offsets; the plan's probe start is read on it
     */
    EvidenceRecorder(AttemptPlan plan, Ticker ticker) {
        this.plan = Objects.requireNonNull(plan, "plan");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.startedAt = plan.now();
        this.startNanos = ticker.read();
    }

    /** The forms of the attempt's secrets to scrub from every text; cleared when the attempt is assembled. */
    Redaction redaction() {
        return redaction;
    }

    // ---- phases ---------------------------------------------------------------------------------------------------

    /**
     * Starts timing {@code p} and tells the listener.
     *
     * @return the phase's start on the ticker
     */
    long startPhase(Phase p) {
        phase = p;
        phaseStartNanos = ticker.read();
        if (plan.listener().active()) {
            plan.listener().phaseStart(p, plan.attemptId());
        }
        return phaseStartNanos;
    }

    /** Ends the phase being timed, if any: its time adds up, and the listener is told. */
    void endPhase() {
        if (phase == null) {
            return;
        }
        Duration took = Duration.ofNanos(ticker.read() - phaseStartNanos);
        timings.merge(phase, took, Duration::plus);
        if (plan.listener().active()) {
            plan.listener().phaseEnd(phase, plan.attemptId(), took);
        }
        phase = null;
    }

    /** The phase being timed, or {@code null} between phases. */
    Phase phase() {
        return phase;
    }

    // ---- the decision ---------------------------------------------------------------------------------------------

    /**
     * Decides the verdict, unless one was decided before. A failure ends the phase being timed as failed (the
     * listener is told) and is noted; {@code text} and the {@code cause}'s message are scrubbed.
     */
    void decide(Verdict v, String text, Throwable cause) {
        if (verdict != null) {
            return;
        }
        verdict = v;
        detail = redaction.scrub(text);
        if (decidedPhase == null) {
            decidedPhase = phase != null ? phase : Phase.CONNECT;
        }
        if (cause != null) {
            // Scrubbed whole, before FailureInfo escapes and cuts it.
            failure = new FailureInfo(FailureClassifier.failureType(cause), redaction.scrub(cause.getMessage()));
        }
        if (v != Verdict.OK) {
            note(v + ": " + text);
            if (phase != null) {
                Duration took = Duration.ofNanos(ticker.read() - phaseStartNanos);
                if (plan.listener().active()) {
                    plan.listener().phaseFailed(phase, plan.attemptId(), v, took);
                }
                timings.put(phase, took);
                phase = null;
            }
        }
    }

    boolean decided() {
        return verdict != null;
    }

    Verdict verdict() {
        return verdict;
    }

    Phase decidedPhase() {
        return decidedPhase;
    }

    /** The phase the next decision is made at, instead of the phase being timed; ignored once decided. */
    void decidedAt(Phase at) {
        if (verdict == null) {
            decidedPhase = at;
        }
    }

    void policyReason(PolicyReason reason) {
        policyReason = reason;
    }

    /**
     * The reason to record for the rejection {@code reply} that the classifier read as {@code classified}: the
     * classifier's, unless it found nothing specific ({@link PolicyReason#OTHER}) and the table of known replies
     * names one. The table is matched once per reply.
     */
    PolicyReason knownReason(SmtpReply reply, PolicyReason classified) {
        ReplyKnowledge.Entry e = knowledgeOf(reply);
        return classified == PolicyReason.OTHER && e != null && e.reason() != null ? e.reason() : classified;
    }

    /** The table's entry for {@code reply}, matched at most once per reply. */
    private ReplyKnowledge.Entry knowledgeOf(SmtpReply reply) {
        if (reply != matchedReply) {
            matchedReply = reply;
            matched = plan.probe().knownReplies().entryFor(reply).orElse(null);
        }
        return matched;
    }

    /** The name given in EHLO (or HELO). */
    void ehloName(String name) {
        ehloName = name;
    }

    // ---- what the server showed -----------------------------------------------------------------------------------

    InetSocketAddress local() {
        return local;
    }

    void local(InetSocketAddress address) {
        local = address;
    }

    void greeting(SmtpReply reply) {
        greeting = reply;
    }

    /** The accepted EHLO (or HELO) reply and what it advertises. */
    void ehlo(SmtpReply reply, Capabilities advertised) {
        ehlo = reply;
        capabilities = advertised;
    }

    /** The reply that decided, as the evidence: every reply before QUIT. */
    void lastReply(SmtpReply reply) {
        lastReply = reply;
        if (reply != null && (reply.isTransientFailure() || reply.isPermanentFailure())) {
            lastRejection = reply;
        }
    }

    /**
     * The rejection that decided a failed attempt, for the table of known replies: the first refused recipient's
     * reply (a permanent refusal before a transient one, as the verdict is chosen), else the last 4xx/5xx reply.
     */
    private SmtpReply decidingRejection(List<RecipientResult> envelope) {
        if (verdict == null || verdict.isOk()) {
            return null;
        }
        SmtpReply transientOne = null;
        for (RecipientResult r : envelope) {
            if (r.reply() != null && r.reply().isPermanentFailure()) {
                return r.reply();
            }
            if (transientOne == null && r.reply() != null && r.reply().isTransientFailure()) {
                transientOne = r.reply();
            }
        }
        return transientOne != null ? transientOne : lastRejection;
    }

    Capabilities capabilities() {
        return capabilities;
    }

    Capabilities capabilitiesBeforeTls() {
        return capabilitiesBeforeTls;
    }

    void capabilitiesBeforeTls(Capabilities before) {
        capabilitiesBeforeTls = before;
    }

    // ---- the transcript -------------------------------------------------------------------------------------------

    void note(String text) {
        record(Direction.INFO, text);
    }

    /** Records each line of a reply as the server sent it: code, continuation mark, enhanced status, text. */
    void recordReply(SmtpReply reply) {
        List<String> lines = reply.lines();
        for (int i = 0; i < lines.size(); i++) {
            StringBuilder sb = new StringBuilder().append(reply.code()).append(i == lines.size() - 1 ? ' ' : '-');
            EnhancedStatus status = reply.enhancedStatus();
            if (status != null && i == 0) { // its toString(), without the intermediate string
                sb.append(status.statusClass()).append('.').append(status.subject()).append('.').append(status.detail())
                        .append(' ');
            }
            record(Direction.SERVER, sb.append(lines.get(i)).toString().stripTrailing());
        }
    }

    /** Records a line, scrubbed, escaped ({@link dev.smtpprobe.PrintableText}) and cut; beyond the bounds, counts it. */
    void record(Direction direction, String line) {
        if (transcript.size() >= MAX_TRANSCRIPT_LINES || transcriptChars >= MAX_TRANSCRIPT_CHARS) {
            droppedTranscriptLines++;
            return;
        }
        String kept = Texts.printable(redaction.scrub(line), MAX_TRANSCRIPT_LINE_LENGTH);
        transcriptChars += kept.length();
        transcript.add(new TranscriptLine(offset(), direction, kept));
    }

    private Duration offset() {
        return Duration.ofNanos(ticker.read() - plan.probeStartNanos());
    }

    // ---- the attempt ----------------------------------------------------------------------------------------------

    /**
     * The attempt as recorded; called once, when the attempt ends with its verdict decided. The secrets' forms are
     * cleared: every text is scrubbed by now.
     *
     * @param tls      the TLS session's facts, or {@code null}
     * @param auth     the AUTH step's result, or {@code null} when it did not run
     * @param envelope every recipient's result, or empty without an envelope
     */
    Attempt attempt(TlsInfo tls, AuthResult auth, List<RecipientResult> envelope) {
        if (droppedTranscriptLines > 0) {
            transcript.add(new TranscriptLine(offset(), Direction.INFO, droppedTranscriptLines + " more lines not kept"));
        }
        if (auth != null) {
            log.get().debug("AUTH at {} ended {}: {}", plan.remote(), auth, detail);
        }
        if (!envelope.isEmpty()) {
            log.get().debug("envelope at {}: {}", plan.remote(), envelope);
        }
        redaction.clear();
        SmtpReply rejection = decidingRejection(envelope);
        ReplyKnowledge.Entry known = rejection == null ? null : knowledgeOf(rejection);
        return Attempt.builder().host(plan.host()).remote(plan.remote()).local(local)
                .tlsMode(plan.tlsMode()).verdict(verdict).phase(decidedPhase).detail(detail).policyReason(policyReason)
                .greeting(greeting).ehlo(ehlo).capabilities(capabilities).tls(tls).lastReply(lastReply)
                .failure(failure).startedAt(startedAt).elapsed(Duration.ofNanos(ticker.read() - startNanos))
                .timings(timings).transcript(transcript).auth(auth).recipients(envelope)
                .knownReply(known == null ? null : known.known()).ehloName(ehloName).build();
    }
}
