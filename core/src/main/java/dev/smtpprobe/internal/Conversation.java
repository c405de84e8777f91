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
import dev.smtpprobe.spi.ConnectRequest;
import dev.smtpprobe.spi.Dialogue;
import dev.smtpprobe.spi.Link;
import dev.smtpprobe.spi.NotTlsException;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;
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
        this.credentials = CredentialAccess.of(plan.probe());
        this.evidence = new EvidenceRecorder(plan, Ticker.SYSTEM);
        EhloStep ehlo = new EhloStep();
        // The dialogue, listed once: a new step is a Step class and its place in this list.
        this.steps = List.of(new GreetingStep(), ehlo, new StartTlsStep(ehlo), auth, envelope, new QuitStep());
    }

    /** Opens the connection; the returned future completes with the attempt once the connection is closed. */
    CompletableFuture<Attempt> start() {
        synchronized (this) {
            startPhase(Phase.CONNECT);
            note("connecting to " + Addresses.format(plan.remote()) + " (" + plan.host() + ")"
                    + (plan.tlsMode() == TlsMode.IMPLICIT ? " with implicit TLS" : ""));
        }
        TlsParameters implicit = plan.tlsMode() == TlsMode.IMPLICIT ? StartTlsStep.parameters(plan) : null;
        Duration connectTimeout = plan.deadline().cap(plan.probe().connectTimeout());
        lastTimeout = connectTimeout;
        // The transport's hard limit sits a little after the deadline, before the run's safety net: core's own timers,
        // capped at the deadline, normally decide first.
        Duration lifetime = plan.deadline().remaining().plus(Prober.DEADLINE_MARGIN.dividedBy(2));
        ConnectRequest request = new ConnectRequest(plan.remote(), plan.probe().sourceAddress(), connectTimeout,
                implicit, lifetime);
        if (plan.transport().opensAtOnce()) {
            open(request);
        } else {
            // An open() that may block must not hold this thread (a runAsync() caller, a transport's thread).
            Openers.execute(() -> {
                if (!outcome.isDone()) { // the deadline's safety net may have ended it while it waited its turn
                    open(request);
                }
            });
        }
        return outcome;
    }

    private void open(ConnectRequest request) {
        try {
            plan.transport().open(request, this);
        } catch (RuntimeException e) {
            transportFailed("open()", e);
        }
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
            note("connected " + Addresses.format(evidence.local()) + " -> " + Addresses.format(link.remoteAddress()));
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
     * plus the margin, or before returning from {@code runOnCallingThread}): ends the attempt now, and closes the
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
        for (int i = current + 1; i < steps.size(); i++) {
            if (steps.get(i).applies(this)) {
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
        return steps.stream().map(s -> s.summary(this)).filter(Objects::nonNull).collect(Collectors.joining(", "));
    }

    @Override
    public void note(String text) {
        evidence.note(text);
    }

    // ---- failures -----------------------------------------------------------------------------------------------

    private void classify(Throwable cause) {
        switch (state) {
            case CONNECTING -> connectFailure(cause);
            case TLS_CONNECT, TLS_HANDSHAKE -> tlsFailure(cause);
            case GREETING -> greetingFailure(cause);
            default -> dialogueFailure(cause);
        }
    }

    private void connectFailure(Throwable cause) {
        String message = lower(cause.getMessage());
        String target = Addresses.format(plan.remote());
        if (cause instanceof SocketTimeoutException) {
            decide(Verdict.CONNECTION_TIMED_OUT, "no answer to the TCP SYN to " + target + " within "
                    + millis(lastTimeout) + deadlineNote() + ": packets are silently dropped", cause);
        } else if (cause instanceof NoRouteToHostException || message.contains("no route to host")) {
            decide(Verdict.NO_ROUTE_TO_HOST, "no route to host " + target
                    + " (EHOSTUNREACH: a firewall's icmp-host-prohibited, or no ARP answer)", cause);
        } else if (message.contains("network is unreachable") || message.contains("network unreachable")) {
            decide(Verdict.NETWORK_UNREACHABLE, "network unreachable from this host for " + target
                    + " (ENETUNREACH: no route)", cause);
        } else if (message.contains("permission denied") || message.contains("operation not permitted")) {
            forbidden(cause, message, target);
        } else if (cause instanceof BindException) {
            InetAddress source = plan.probe().sourceAddress();
            decide(Verdict.BLOCKED_LOCALLY, (source != null ? "the source address " + source.getHostAddress()
                    : "the local address") + " cannot be used to connect to " + target + " ("
                    + errnoText(cause) + "): it is not an address of this host, or is in use; fix the sourceAddress"
                    + " setting (a configuration problem, not the network)", cause);
        } else if (message.contains("timed out")) {
            decide(Verdict.CONNECTION_TIMED_OUT, "TCP connect to " + target + " timed out" + deadlineNote(), cause);
        } else if (cause instanceof ConnectException || message.contains("refused")) {
            decide(Verdict.CONNECTION_REFUSED, "TCP port " + plan.remote().getPort() + " refused before the SMTP banner"
                    + " (RST or ICMP port unreachable)", cause);
        } else if (message.contains("reset")) {
            decide(Verdict.CONNECTION_RESET, "connection reset while connecting to " + target, cause);
        } else {
            decide(Verdict.INTERNAL_ERROR, "unclassified connect failure to " + target + ": " + errnoText(cause)
                    + " (not recognised as a network outcome; no routing problem is implied)", cause);
        }
    }

    /**
     * EACCES/EPERM on connect. IPv4 reports an ICMP administratively-prohibited answer as EHOSTUNREACH, so there
     * it is always this host's own doing; IPv6 reports ICMPv6 administratively prohibited as EACCES after a round
     * trip. The evidence that tells them apart is this host's routing table: a reject route ({@code prohibit},
     * {@code unreachable}) for the target is local. Without one, EACCES to an IPv6 target is the ICMPv6 answer;
     * EPERM (what cgroup/eBPF hooks return) is local either way.
     */
    private void forbidden(Throwable cause, String message, String target) {
        boolean eperm = message.contains("operation not permitted");
        String errno = eperm ? "EPERM" : "EACCES";
        long micros = (System.nanoTime() - phaseStartNanos) / 1000;
        String took = errno + " after " + (micros < 1000 ? micros + " us" : micros / 1000 + " ms");
        InetAddress address = plan.remote().getAddress();
        Optional<LocalRoutes.Route> route = LocalRoutes.lookup(address);
        String routeText = route.map(r -> (r.reject() ? "the reject route " : "the route ") + r.prefix())
                .orElse("no readable route");
        if (route.isPresent() && route.get().reject()) {
            decide(Verdict.BLOCKED_LOCALLY, "this host forbade the connection to " + target + " before any packet left ("
                    + took + "; this host's routing table has " + routeText + ", a prohibit route)", cause);
        } else if (!eperm && address instanceof Inet6Address) {
            decide(Verdict.NO_ROUTE_TO_HOST, "ICMPv6 administratively prohibited from the path to " + target + " ("
                    + took + "; this host's routing table has " + routeText + ", not a reject route): a firewall near"
                    + " the target rejects the connection", cause);
        } else {
            decide(Verdict.BLOCKED_LOCALLY, "this host forbade the connection to " + target + " before any packet left ("
                    + took + "; this host's routing table has " + routeText + ", not a reject route, so a cgroup/eBPF"
                    + " connect hook or a security module)", cause);
        }
    }

    /** The failure's own text, or its type when it has none: never the word null. */
    private static String errnoText(Throwable cause) {
        String m = cause.getMessage();
        return m == null || m.isBlank() ? cause.getClass().getSimpleName() : m;
    }

    private void tlsFailure(Throwable cause) {
        boolean implicit = state == State.TLS_CONNECT;
        String how = implicit ? "the implicit TLS handshake" : "the TLS handshake after STARTTLS";
        NotTlsException notTls = find(cause, NotTlsException.class);
        if (notTls != null) {
            String bytes = printable(notTls.firstBytes());
            if (implicit && notTls.looksLikeSmtpReply()) {
                decide(Verdict.TLS_MODE_MISMATCH, "the server answered the TLS hello with a plain-text SMTP banner (\""
                        + bytes + "\"): port " + plan.remote().getPort() + " does not speak implicit TLS; use STARTTLS"
                        + " (or plain text) here, or implicit TLS on 465", cause);
            } else if (implicit && (bytes.startsWith("HTTP/") || bytes.startsWith("SSH-"))) {
                decide(Verdict.NOT_SMTP, "the peer answered the TLS hello with " + (bytes.startsWith("SSH-") ? "SSH" : "HTTP")
                        + " (\"" + bytes + "\"): wrong host or port", cause);
            } else {
                decide(Verdict.TLS_HANDSHAKE_FAILED, "non-TLS bytes during " + how + ": \"" + bytes + "\"", cause);
            }
            return;
        }
        // The chain this attempt's handshake was shown rides on its failure: the trust manager is shared.
        X509Certificate[] shown = RecordingTrustManager.chainShown(cause);
        var problem = CertificateProblems.classify(cause, shown, plan.host(), plan.now());
        if (problem.isPresent()) {
            if (shown != null) {
                tls = TlsFacts.ofChain(shown, plan.now());
            }
            decide(Verdict.CERTIFICATE_INVALID, problem.get().kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + ": " + problem.get().detail(), cause);
            return;
        }
        if (cause instanceof SocketTimeoutException) {
            decide(Verdict.TLS_HANDSHAKE_FAILED, "no answer during " + how + " within " + millis(lastTimeout)
                    + deadlineNote(), cause);
        } else if (cause instanceof SSLException) {
            decide(Verdict.TLS_HANDSHAKE_FAILED, how + " failed: " + cause.getMessage(), cause);
        } else {
            decide(Verdict.TLS_HANDSHAKE_FAILED, "the connection broke during " + how + ": " + cause, cause);
        }
    }

    private void greetingFailure(Throwable cause) {
        if (cause instanceof SocketTimeoutException) {
            decide(Verdict.GREETING_TIMEOUT, "TCP connected but no SMTP banner within " + millis(lastTimeout)
                    + deadlineNote(), cause);
        } else if (cause instanceof SmtpProtocolException spe && spe.kind() == SmtpProtocolException.Kind.NOT_SMTP) {
            decide(Verdict.NOT_SMTP, spe.getMessage(), cause);
        } else if (cause instanceof SmtpProtocolException spe) {
            decide(Verdict.PROTOCOL_ERROR, "invalid greeting: " + spe.getMessage(), cause);
        } else if (cause instanceof IOException) {
            decide(Verdict.CONNECTION_RESET, "the connection was " + (lower(cause.getMessage()).contains("reset") ? "reset" : "broken")
                    + " before a complete greeting: " + cause.getMessage(), cause);
        } else {
            decide(Verdict.PROTOCOL_ERROR, "failure before a complete greeting: " + cause, cause);
        }
    }

    private void dialogueFailure(Throwable cause) {
        String after = describeState();
        if (cause instanceof SocketTimeoutException) {
            decide(Verdict.PROTOCOL_ERROR, "no reply " + after + " within " + millis(lastTimeout) + deadlineNote(), cause);
        } else if (cause instanceof SmtpProtocolException spe) {
            decide(Verdict.PROTOCOL_ERROR, "invalid reply " + after + ": " + spe.getMessage(), cause);
        } else {
            decide(Verdict.PROTOCOL_ERROR, "the connection broke " + after + ": " + cause.getMessage(), cause);
        }
    }

    private void decideOnClose() {
        switch (state) {
            case CONNECTING -> decide(Verdict.CONNECTION_RESET, "the connection closed before it was established", null);
            case TLS_CONNECT -> decide(Verdict.TLS_HANDSHAKE_FAILED, "the server closed the connection during the implicit TLS handshake", null);
            case TLS_HANDSHAKE -> decide(Verdict.TLS_HANDSHAKE_FAILED, "the server closed the connection during the TLS handshake after STARTTLS", null);
            case GREETING -> decide(Verdict.CONNECTION_RESET, "the server accepted the connection, then closed it before a complete greeting", null);
            case QUIT, DONE -> {
                // decided already
            }
            default -> decide(Verdict.PROTOCOL_ERROR, "the server closed the connection " + describeState(), null);
        }
    }

    private String describeState() {
        return switch (state) {
            case CONNECTING -> "while connecting";
            case TLS_CONNECT -> "during the implicit TLS handshake";
            case GREETING -> "before the greeting";
            case EHLO -> "to EHLO";
            case HELO -> "to HELO";
            case STARTTLS -> "to STARTTLS";
            case TLS_HANDSHAKE -> "during the TLS handshake";
            case EHLO_TLS -> "to EHLO after STARTTLS";
            case AUTH -> "to AUTH " + authMechanism;
            case AUTH_CANCEL -> "to the cancelled AUTH " + authMechanism;
            case MAIL -> "to MAIL FROM";
            case RCPT -> "to RCPT TO";
            case RSET -> "to RSET";
            case QUIT -> "to QUIT";
            case DONE -> "after the verdict";
        };
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

    private String deadlineNote() {
        return plan.deadline().passed() ? " (the probe's deadline of " + millis(plan.deadline().total()) + " was reached)" : "";
    }

    private static String millis(Duration d) {
        return d == null ? "the timeout" : d.toMillis() + " ms";
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private static String printable(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '\r' || c == '\n') {
                break;
            }
            sb.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return sb.toString();
    }
}
