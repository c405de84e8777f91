package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.internal.connection.Dialogue;
import dev.smtpprobe.internal.connection.Link;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.TlsParameters;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;

/**
 * One connection attempt: connects through the transport, then runs the SMTP dialogue as an ordered list of
 * {@link Step steps}, driven by {@link Dialogue} callbacks and answering through the {@link Link}. No I/O of its own.
 *
 * <pre>
 * CONNECTING → [TLS_CONNECT] → GREETING → EHLO (→ HELO) → [STARTTLS → TLS_HANDSHAKE → EHLO_TLS]
 *   → [AUTH (→ AUTH_CANCEL)] → [MAIL → RCPT… → RSET] → QUIT → DONE
 * </pre>
 *
 * <p>The steps are listed once, in {@link #Conversation}; each decides whether it applies. This class routes each
 * reply to the step that sent the command, classifies transport failures, and keeps the evidence in an
 * {@link EvidenceRecorder}, which assembles the {@link Attempt} when the connection is closed.
 *
 * <p>The first decision wins: once a verdict is set, later events only add evidence or close the connection.
 * Every callback is guarded: an unexpected exception ends the attempt with {@link Verdict#PROTOCOL_ERROR} rather
 * than leaving the probe waiting. Methods are synchronized because the safety net of {@link #forceFinish} may run on
 * another thread than the transport's.
 */
final class Conversation implements Dialogue, Step.Context {

    private static final LazyLogger log = new LazyLogger(Conversation.class);

    /** What the dialogue waits for; failures and closes are described by it. */
    enum State {
        CONNECTING, TLS_CONNECT, GREETING, EHLO, HELO, STARTTLS, TLS_HANDSHAKE, EHLO_TLS,
        AUTH, AUTH_CANCEL, MAIL, RCPT, RSET, QUIT, DONE
    }

    private final AttemptPlan plan;
    private final FailureClassifier failures;
    private final CompletableFuture<Attempt> outcome = new CompletableFuture<>();
    private final EvidenceRecorder evidence;
    private final Credentials credentials;
    private final AuthStep auth = new AuthStep();
    private final EnvelopeStep envelope = new EnvelopeStep();
    /** The dialogue, in order; the last one says goodbye. */
    private final List<Step> steps;
    /** The index in {@link #steps} of the step whose replies are awaited, or -1 before the greeting. */
    private int current = -1;

    private State state = State.CONNECTING;
    private Link link;
    /** The caller gave up on the probe: see {@link #abort}. */
    private boolean aborted;
    private TlsInfo tls;
    private boolean tlsActive;
    private AuthMechanism authMechanism;
    private Duration lastTimeout;
    /** The current phase's start on the evidence's ticker (the time to an EACCES). */
    private long phaseStartNanos;

    Conversation(AttemptPlan plan) {
        this.plan = plan;
        this.credentials = plan.confirmation() ? null : plan.probe().credentials(); // evidence only: never sent
        this.evidence = new EvidenceRecorder(plan, plan.probe().ticker());
        EhloStep ehlo = new EhloStep();
        // The dialogue, listed once: a new step is a Step class and its place in this list.
        this.steps = List.of(new GreetingStep(), ehlo, new StartTlsStep(ehlo), auth, envelope, new QuitStep());
        this.failures = new FailureClassifier(plan, new FailureClassifier.Sink() {
            @Override
            public void decide(Verdict verdict, String detail, Throwable cause) {
                Conversation.this.decide(verdict, detail, cause);
            }

            @Override
            public void chainShown(TlsInfo shown) {
                tls = shown;
            }
        });
    }

    /** Opens the connection; the returned future completes with the attempt once the connection is closed. */
    CompletableFuture<Attempt> start() {
        ProxyRoute route = plan.route();
        synchronized (this) {
            startPhase(Phase.CONNECT);
            note("connecting to " + Addresses.format(plan.remote()) + " (" + plan.host() + ")"
                    + (plan.tlsMode() == TlsMode.IMPLICIT ? " with implicit TLS" : "") + route.describe());
            if (route.failure() != null) { // the proxy's name did not resolve: nothing to connect to
                classify(route.failure());
                finish();
                return outcome;
            }
        }
        ConnectRequest request = Openers.request(plan);
        lastTimeout = request.connectTimeout();
        Openers.open(plan, request, this, outcome::isDone, e -> transportFailed("openPipe()", e));
        return outcome;
    }

    /**
     * The transport failed (it threw from a call, or broke its contract): not a network outcome. Ends the attempt at
     * once with {@link Verdict#INTERNAL_ERROR}, naming the transport and the failure, unless a verdict was decided
     * before; the link is closed if there is one.
     */
    synchronized void transportFailed(String call, Throwable e) {
        if (outcome.isDone()) {
            return;
        }
        log.get().error("transport {} failed in {} for {}", plan.transportName(), call, plan.remote(), e);
        decide(Verdict.INTERNAL_ERROR, "the transport " + plan.transportName() + " failed in " + call + ": " + e
                + " (a bug in the transport or the probe, not a network outcome)", e);
        closeLinkQuietly();
        finish();
    }

    /** Ends the attempt without opening a connection: the run was stopped before its turn. */
    synchronized CompletableFuture<Attempt> notStarted() {
        aborted = true;
        decide(Verdict.INTERNAL_ERROR, "stopped by the caller (interrupt or cancel) before connecting", null);
        finish();
        return outcome;
    }

    /**
     * The caller gave up on the probe (an interrupt or a cancelled future): closes the connection now, and any
     * connection that reports itself connected later. The attempt then ends as the transport reports it.
     */
    synchronized void abort() {
        aborted = true;
        if (outcome.isDone()) {
            return;
        }
        note("stopped by the caller (interrupt or cancel); closing the connection");
        state = State.DONE;
        if (!evidence.decided()) {
            // Not a network outcome either: say plainly what ended it, should anyone read the attempt.
            decide(Verdict.INTERNAL_ERROR, "stopped by the caller (interrupt or cancel) before a verdict", null);
        }
        closeLinkQuietly();
    }

    /** The attempt, once the connection is closed. */
    CompletableFuture<Attempt> outcome() {
        return outcome;
    }

    // ---- Dialogue callbacks -------------------------------------------------------------------------------------

    @Override
    public synchronized void onConnected(Link link) {
        try {
            this.link = link;
            if (aborted || outcome.isDone()) {
                closeLinkQuietly(); // connected after the caller gave up or the attempt was ended: close at once
                return;
            }
            evidence.local(link.localAddress());
            if (plan.route().isDirect()) { // through a proxy, the hop's notes said where TCP goes
                note("connected " + Addresses.format(evidence.local()) + " -> " + Addresses.format(link.remoteAddress()));
            }
            if (plan.tlsMode() == TlsMode.IMPLICIT) {
                state = State.TLS_CONNECT;
                lastTimeout = plan.deadline().cap(plan.probe().replyTimeout());
                note("TLS handshake (implicit TLS)");
            } else {
                endPhase();
                pass(); // the greeting
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public synchronized void onTlsEstablished(SSLSession session) {
        try {
            tlsActive = true;
            tls = TlsFacts.of(session, plan.now());
            if (plan.tlsPolicy() != null) {
                plan.tlsPolicy().handshakeDone(plan, session);
            }
            note("TLS established: " + tls.protocol() + " " + tls.cipherSuite()
                    + (tls.leaf() != null ? ", certificate " + tls.leaf().subject() + " expires " + tls.leaf().notAfter()
                    + " (" + tls.leaf().daysToExpiry() + " days)" : ""));
            if (state == State.TLS_CONNECT) {
                endPhase();
                pass(); // the greeting
            } else if (state == State.TLS_HANDSHAKE) {
                steps.get(current).onTlsEstablished(this);
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public synchronized void onReply(SmtpReply received) {
        try {
            boolean toStep = current >= 0 && switch (state) {
                case CONNECTING, TLS_CONNECT, TLS_HANDSHAKE, DONE -> false;
                default -> true;
            };
            // Bounded before anything else looks at it: whatever the server sent (up to 2 MiB per reply), what is
            // stored, classified, described and recorded is at most a few KiB. Once a secret is in play, a server
            // echoing it must not get it into the result: each line kept is scrubbed whole, before the cut.
            SmtpReply reply = Texts.cut(received, toStep ? steps.get(current).replyLimit(this) : Texts.MAX_REPLY,
                    evidence.redaction()::scrub);
            if (state != State.QUIT && state != State.DONE) {
                // The reply that decided stays the evidence; QUIT's courtesy 221 is only in the transcript.
                evidence.lastReply(reply);
            }
            evidence.recordReply(reply);
            if (toStep) {
                steps.get(current).onReply(this, reply);
            } else if (state != State.DONE) { // after the decision, late input is evidence only
                decide(Verdict.PROTOCOL_ERROR, "unexpected reply while " + describeState() + ": " + reply, null);
                close();
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public synchronized void onFailure(Throwable cause) {
        try {
            if (state == State.QUIT || state == State.DONE) {
                // The verdict is already decided; QUIT is only a courtesy.
                note("after the verdict: " + FailureInfo.of(cause));
                close();
                return;
            }
            classify(cause);
            close();
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public synchronized void onClosed() {
        try {
            if (!evidence.decided() && plan.transport() instanceof Prober.OnCaller
                    && Thread.currentThread().isInterrupted()) {
                // run()'s caller was interrupted and the transport closed the connection for it: not the server.
                abort();
            }
            if (!evidence.decided()) {
                decideOnClose();
            }
            finish();
        } catch (RuntimeException e) {
            log.get().error("smtp-probe engine error while closing an attempt to {}", plan.remote(), e);
            if (!outcome.isDone()) {
                outcome.completeExceptionally(e);
            }
        }
    }

    /**
     * Safety net for a transport that did not report {@link #onClosed} when it had to ({@code why}: by the deadline
     * plus the margin, or before returning from {@code runPipeOnCallingThread}): ends the attempt now, and closes the
     * link. A verdict already decided stands (the connection was only closing). Otherwise:
     * <ul>
     *   <li>a transport that never called back at all (neither connected nor failed), or whose {@link Link#close}
     *       throws, failed: {@link Verdict#INTERNAL_ERROR}, never a network verdict;</li>
     *   <li>a connected one was running the timer core armed, capped at the deadline, which has expired: the phase
     *       timed out, as the timer says, however late the transport is to report it ({@code timerExpired});
     *       without {@code timerExpired}, it also failed.</li>
     * </ul>
     */
    synchronized void forceFinish(String why, boolean timerExpired) {
        if (outcome.isDone()) {
            return;
        }
        boolean closeThrew = false;
        if (link != null) {
            try {
                link.close();
            } catch (RuntimeException e) {
                closeThrew = true;
                log.get().error("transport {} threw from Link.close() for {}", plan.transportName(), plan.remote(), e);
                why = why + ", and its Link.close() threw " + e;
            }
        }
        if (!evidence.decided()) {
            if (link == null || closeThrew || !timerExpired) {
                log.get().debug("transport {} {} (connection to {}, {}); ending the attempt", plan.transportName(),
                        why, plan.remote(), describeState());
                decide(Verdict.INTERNAL_ERROR, "the transport " + plan.transportName() + " " + why + " (while "
                        + describeState() + "): a bug in the transport, not a network outcome", null);
            } else {
                note("the transport " + why + "; the timer it was asked for expired at the deadline");
                classify(new ReplyTimeoutException("no reply by the deadline"));
            }
        } else {
            note("the transport " + why + "; the verdict was decided before");
        }
        finish();
    }

    /** Closes the link if there is one; a transport whose close throws is logged, never allowed to stop us. */
    private void closeLinkQuietly() {
        if (link == null) {
            return;
        }
        try {
            link.close();
        } catch (RuntimeException e) {
            log.get().error("transport {} threw from Link.close() for {}", plan.transportName(), plan.remote(), e);
        }
    }

    // ---- what the steps see (Step.Context) ----------------------------------------------------------------------

    @Override
    public AttemptPlan plan() {
        return plan;
    }

    @Override
    public EvidenceRecorder evidence() {
        return evidence;
    }

    @Override
    public Credentials credentials() {
        return credentials;
    }

    @Override
    public TlsInfo tls() {
        return tls;
    }

    @Override
    public boolean tlsActive() {
        return tlsActive;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void state(State next) {
        state = Objects.requireNonNull(next, "next");
    }

    @Override
    public void startPhase(Phase p) {
        phaseStartNanos = evidence.startPhase(p);
    }

    @Override
    public void endPhase() {
        evidence.endPhase();
    }

    @Override
    public void expectReply(Duration timeout) {
        lastTimeout = plan.deadline().cap(timeout);
        link.expectReply(lastTimeout);
    }

    @Override
    public void send(String line, String shown, Duration timeout) {
        evidence.record(TranscriptLine.Direction.CLIENT, shown);
        lastTimeout = plan.deadline().cap(timeout);
        link.send(line, lastTimeout);
    }

    @Override
    public void startTls(TlsParameters parameters) {
        lastTimeout = plan.deadline().cap(plan.probe().replyTimeout());
        link.startTls(parameters);
    }

    @Override
    public void authMechanism(AuthMechanism mechanism) {
        authMechanism = mechanism;
    }

    @Override
    public void decide(Verdict v, String text) {
        decide(v, text, null);
    }

    @Override
    public void pass() {
        Phase quitAfter = plan.probe().quitAfter();
        for (int i = current + 1; i < steps.size(); i++) {
            if (steps.get(i).applies(this)) {
                if (QuitAfter.skips(steps.get(i), quitAfter)) {
                    note("quitAfter " + quitAfter + ": QUIT without going on to " + QuitAfter.phaseOf(steps.get(i)));
                    quit();
                    return;
                }
                current = i;
                steps.get(i).begin(this);
                return;
            }
        }
    }

    @Override
    public void quit() {
        if (link == null) {
            // Never connected: nothing to say goodbye to.
            state = State.DONE;
            return;
        }
        current = steps.size() - 1;
        steps.get(current).begin(this);
    }

    @Override
    public void close() {
        if (state != State.DONE) {
            if (state == State.QUIT && evidence.phase() == Phase.QUIT) {
                endPhase();
            }
            state = State.DONE;
        }
        if (link != null) {
            try {
                link.close();
            } catch (RuntimeException e) {
                // The transport cannot be trusted to report the end now: end the attempt here.
                transportFailed("Link.close()", e);
            }
        }
    }

    @Override
    public String okDetail() {
        StringBuilder detail = new StringBuilder(); // a loop, not a stream: every OK attempt's detail is made here
        for (Step s : steps) {
            String summary = s.summary(this);
            if (summary != null) {
                detail.append(detail.length() == 0 ? "" : ", ").append(summary);
            }
        }
        return detail.toString();
    }

    @Override
    public synchronized void note(String text) { // synchronized: the proxy hop notes from the connection's thread
        evidence.note(text);
    }

    // ---- failures -----------------------------------------------------------------------------------------------

    private void classify(Throwable cause) {
        failures.classify(cause, situation());
    }

    private void decideOnClose() {
        failures.decideOnClose(situation());
    }

    private String describeState() {
        return FailureClassifier.describeState(state, authMechanism);
    }

    private FailureClassifier.Situation situation() {
        return new FailureClassifier.Situation(state, lastTimeout, phaseStartNanos, authMechanism);
    }

    private void internalError(RuntimeException e) {
        log.get().error("smtp-probe engine error in state {} for {}", state, plan.remote(), e);
        decide(Verdict.INTERNAL_ERROR, "internal error in the probe: " + e, e);
        close();
    }

    // ---- decisions and the attempt ------------------------------------------------------------------------------

    private void decide(Verdict v, String text, Throwable cause) {
        evidence.decide(v, text, cause);
    }

    private void finish() {
        if (outcome.isDone()) {
            return;
        }
        endPhase();
        state = State.DONE;
        if (!evidence.decided()) {
            decide(Verdict.PROTOCOL_ERROR, "the attempt ended without a verdict", null);
        }
        Attempt attempt = evidence.attempt(tls, auth.result(this),
                envelope.results(this, evidence.verdict(), evidence.decidedPhase()));
        // What completes here may complete the probe, and runAsync()'s callbacks run on this thread: mark it.
        CallbackThreads.during(() -> outcome.complete(attempt));
    }
}
