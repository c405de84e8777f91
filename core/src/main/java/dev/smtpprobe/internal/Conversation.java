package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.TranscriptLine.Direction;
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
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP dialogue of one connection attempt, as a state machine driven by transport events. No I/O of its own:
 * it reacts to {@link Dialogue} callbacks and answers through the {@link Link}.
 *
 * <pre>
 * CONNECTING → [TLS_CONNECT] → GREETING → EHLO (→ HELO) → [STARTTLS → TLS_HANDSHAKE → EHLO_TLS] → QUIT → DONE
 * </pre>
 *
 * <p>The first decision wins: once a verdict is set, later events only add evidence or close the connection.
 * Every callback is guarded: an unexpected exception in this class ends the attempt with
 * {@link Verdict#PROTOCOL_ERROR} rather than leaving the probe waiting. Methods are synchronized because the
 * safety net of {@link #forceFinish} may run on another thread than the transport's.
 */
final class Conversation implements Dialogue {

    private static final Logger log = LoggerFactory.getLogger(Conversation.class);

    /** At most this many transcript lines are kept per attempt; a hostile server cannot grow it further. */
    static final int MAX_TRANSCRIPT_LINES = 1000;
    /** Transcript lines are cut to this many characters. */
    static final int MAX_TRANSCRIPT_LINE_LENGTH = 1000;
    /** QUIT is a courtesy: never wait long for its 221. */
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    enum State { CONNECTING, TLS_CONNECT, GREETING, EHLO, HELO, STARTTLS, TLS_HANDSHAKE, EHLO_TLS, QUIT, DONE }

    private final AttemptPlan plan;
    private final CompletableFuture<Attempt> outcome = new CompletableFuture<>();
    private final Instant startedAt;
    private final long startNanos;

    private State state = State.CONNECTING;
    private Link link;
    private java.net.InetSocketAddress local;
    private SmtpReply greeting;
    private SmtpReply ehlo;
    private SmtpReply lastReply;
    private Capabilities capabilities = Capabilities.NONE;
    private TlsInfo tls;
    private boolean tlsActive;
    private RecordingTrustManager trust;
    private String ehloName;

    private final List<TranscriptLine> transcript = new ArrayList<>();
    private int droppedTranscriptLines;
    private final EnumMap<Phase, Duration> timings = new EnumMap<>(Phase.class);
    private Phase phase;
    private long phaseStartNanos;

    private Verdict verdict;
    private Phase decidedPhase;
    private String detail = "";
    private PolicyReason policyReason;
    private FailureInfo failure;
    private Duration lastTimeout;

    Conversation(AttemptPlan plan) {
        this.plan = plan;
        this.startedAt = plan.now();
        this.startNanos = System.nanoTime();
    }

    /** Opens the connection; the returned future completes with the attempt once the connection is closed. */
    CompletableFuture<Attempt> start() {
        synchronized (this) {
            startPhase(Phase.CONNECT);
            note("connecting to " + Addresses.format(plan.remote()) + " (" + plan.host() + ")"
                    + (plan.tlsMode() == TlsMode.IMPLICIT ? " with implicit TLS" : ""));
        }
        TlsParameters implicit = plan.tlsMode() == TlsMode.IMPLICIT ? tlsParameters() : null;
        Duration connectTimeout = plan.deadline().cap(plan.probe().connectTimeout());
        lastTimeout = connectTimeout;
        // The transport's hard limit sits a little after the deadline: core's own timers normally decide first.
        Duration lifetime = plan.deadline().remaining().plus(Duration.ofMillis(500));
        try {
            plan.transport().open(new ConnectRequest(plan.remote(), plan.probe().sourceAddress(), connectTimeout,
                    implicit, lifetime), this);
        } catch (RuntimeException e) {
            // A transport must not throw; if it does, the attempt still ends with a result.
            log.error("transport {} threw from open() for {}", plan.transport().getClass().getName(), plan.remote(), e);
            synchronized (this) {
                decide(Verdict.PROTOCOL_ERROR, "internal error: the transport failed to open a connection: " + e, e);
                finish();
            }
        }
        return outcome;
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
            this.local = link.localAddress();
            note("connected " + Addresses.format(local) + " -> " + Addresses.format(link.remoteAddress()));
            if (plan.tlsMode() == TlsMode.IMPLICIT) {
                state = State.TLS_CONNECT;
                lastTimeout = plan.deadline().cap(plan.probe().replyTimeout());
                note("TLS handshake (implicit TLS)");
            } else {
                endPhase();
                awaitGreeting();
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
                awaitGreeting();
            } else if (state == State.TLS_HANDSHAKE) {
                state = State.EHLO_TLS;
                send("EHLO " + ehloName(), plan.probe().replyTimeout());
            }
        } catch (RuntimeException e) {
            internalError(e);
        }
    }

    @Override
    public synchronized void onReply(SmtpReply reply) {
        try {
            if (state != State.QUIT && state != State.DONE) {
                // The reply that decided stays the evidence; QUIT's courtesy 221 is only in the transcript.
                lastReply = reply;
            }
            recordReply(reply);
            switch (state) {
                case GREETING -> onGreeting(reply);
                case EHLO -> onEhlo(reply);
                case HELO -> onHelo(reply);
                case STARTTLS -> onStartTlsReply(reply);
                case EHLO_TLS -> onEhloAfterTls(reply);
                case QUIT -> close();
                case DONE -> {
                    // late input after the decision: evidence only
                }
                default -> {
                    decide(Verdict.PROTOCOL_ERROR, "unexpected reply while " + describeState() + ": " + reply, null);
                    close();
                }
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
            if (verdict == null) {
                decideOnClose();
            }
            finish();
        } catch (RuntimeException e) {
            log.error("smtp-probe engine error while closing an attempt to {}", plan.remote(), e);
            if (!outcome.isDone()) {
                outcome.completeExceptionally(e);
            }
        }
    }

    /**
     * Safety net for a transport that never reports {@link #onClosed}: ends the attempt with what is known.
     * Called by the prober after the deadline has long passed.
     */
    synchronized void forceFinish() {
        if (outcome.isDone()) {
            return;
        }
        log.warn("transport did not close the connection to {} in time; ending the attempt", plan.remote());
        classify(new ReplyTimeoutException("the transport did not report the end of the connection in time"));
        if (link != null) {
            link.close();
        }
        finish();
    }

    // ---- the dialogue -------------------------------------------------------------------------------------------

    private void awaitGreeting() {
        state = State.GREETING;
        startPhase(Phase.GREETING);
        lastTimeout = plan.deadline().cap(plan.greetingTimeout());
        link.expectReply(lastTimeout);
    }

    private void onGreeting(SmtpReply reply) {
        greeting = reply;
        if (reply.code() == 220) {
            endPhase();
            startPhase(Phase.EHLO);
            state = State.EHLO;
            send("EHLO " + ehloName(), plan.probe().replyTimeout());
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            reject(Phase.GREETING, reply);
        } else {
            decide(Verdict.PROTOCOL_ERROR, "the greeting was " + reply.code() + ", not 220: " + reply, null);
            quit();
        }
    }

    private void onEhlo(SmtpReply reply) {
        if (reply.code() == 250) {
            ehlo = reply;
            capabilities = parseCapabilities(reply);
            endPhase();
            afterEhlo();
        } else if (reply.code() == 500 || reply.code() == 502) {
            // An old server without ESMTP: RFC 5321 §3.2 says fall back to HELO.
            note("EHLO not supported; falling back to HELO");
            state = State.HELO;
            send("HELO " + ehloName(), plan.probe().replyTimeout());
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            reject(Phase.EHLO, reply);
        } else {
            decide(Verdict.PROTOCOL_ERROR, "unexpected reply to EHLO: " + reply, null);
            quit();
        }
    }

    private void onHelo(SmtpReply reply) {
        if (reply.code() == 250) {
            ehlo = reply;
            capabilities = Capabilities.NONE;
            endPhase();
            afterEhlo();
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            reject(Phase.EHLO, reply);
        } else {
            decide(Verdict.PROTOCOL_ERROR, "unexpected reply to HELO: " + reply, null);
            quit();
        }
    }

    private void afterEhlo() {
        if (!tlsActive && plan.tlsMode().usesStartTls()) {
            if (capabilities.startTls()) {
                startPhase(Phase.STARTTLS);
                state = State.STARTTLS;
                send("STARTTLS", plan.probe().replyTimeout());
                return;
            }
            if (plan.tlsMode() == TlsMode.STARTTLS_REQUIRED) {
                decidedPhase = Phase.STARTTLS;
                decide(Verdict.STARTTLS_UNAVAILABLE, "STARTTLS is required but the server does not advertise it"
                        + (capabilities == Capabilities.NONE ? " (it does not speak ESMTP)" : ""), null);
                quit();
                return;
            }
            note("the server does not offer STARTTLS; continuing in plain text");
        }
        succeed();
    }

    private void onStartTlsReply(SmtpReply reply) {
        if (reply.code() == 220) {
            state = State.TLS_HANDSHAKE;
            trust = null;
            lastTimeout = plan.deadline().cap(plan.probe().replyTimeout());
            note("TLS handshake (STARTTLS)");
            link.startTls(tlsParameters());
        } else {
            policyReason = reply.isTransientFailure() || reply.isPermanentFailure() ? Policies.reasonFor(reply) : null;
            decide(Verdict.STARTTLS_UNAVAILABLE, "the server advertised STARTTLS but refused it: " + reply, null);
            quit();
        }
    }

    private void onEhloAfterTls(SmtpReply reply) {
        if (reply.code() == 250) {
            ehlo = reply;
            capabilities = parseCapabilities(reply);
            endPhase();
            succeed();
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            reject(Phase.STARTTLS, reply);
        } else {
            decide(Verdict.PROTOCOL_ERROR, "unexpected reply to EHLO after STARTTLS: " + reply, null);
            quit();
        }
    }

    /** Every requested step passed. */
    private void succeed() {
        // Every requested phase ended; an OK attempt ends with QUIT (not at CONNECT, the default for no phase).
        decidedPhase = Phase.QUIT;
        decide(Verdict.OK, okDetail(), null);
        quit();
    }

    private String okDetail() {
        StringBuilder sb = new StringBuilder("220 banner, EHLO 250");
        if (tls != null) {
            sb.append(", ").append(plan.tlsMode() == TlsMode.IMPLICIT ? "implicit TLS" : "STARTTLS")
                    .append(' ').append(tls.protocol());
        } else if (plan.tlsMode() == TlsMode.STARTTLS) {
            sb.append(", no STARTTLS offered (plain text)");
        }
        return sb.toString();
    }

    private void reject(Phase at, SmtpReply reply) {
        policyReason = Policies.reasonFor(reply);
        decidedPhase = at;
        decide(reply.isTransientFailure() ? Verdict.SMTP_TRANSIENT_REJECTION : Verdict.SMTP_PERMANENT_REJECTION,
                Policies.describe(at, reply), null);
        quit();
    }

    /** Says goodbye when the dialogue allows it, then closes. */
    private void quit() {
        if (link == null) {
            finishIfUnconnected();
            return;
        }
        if (phase != null) {
            endPhase();
        }
        state = State.QUIT;
        startPhase(Phase.QUIT);
        Duration timeout = QUIT_TIMEOUT.compareTo(plan.probe().replyTimeout()) < 0 ? QUIT_TIMEOUT : plan.probe().replyTimeout();
        send("QUIT", timeout);
    }

    private void close() {
        if (state != State.DONE) {
            if (state == State.QUIT && phase == Phase.QUIT) {
                endPhase();
            }
            state = State.DONE;
        }
        if (link != null) {
            link.close();
        }
    }

    private void finishIfUnconnected() {
        state = State.DONE;
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
        } else if (cause instanceof BindException) {
            decide(Verdict.NETWORK_UNREACHABLE, "cannot connect from source address "
                    + plan.probe().sourceAddress() + ": " + cause.getMessage(), cause);
        } else if (message.contains("timed out")) {
            decide(Verdict.CONNECTION_TIMED_OUT, "TCP connect to " + target + " timed out" + deadlineNote(), cause);
        } else if (cause instanceof ConnectException || message.contains("refused")) {
            decide(Verdict.CONNECTION_REFUSED, "TCP port " + plan.remote().getPort() + " refused before the SMTP banner"
                    + " (RST or ICMP port unreachable)", cause);
        } else if (message.contains("reset")) {
            decide(Verdict.CONNECTION_RESET, "connection reset while connecting to " + target, cause);
        } else {
            decide(Verdict.NETWORK_UNREACHABLE, "the connection to " + target + " could not be made: " + cause, cause);
        }
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
        var problem = CertificateProblems.classify(cause, trust == null ? null : trust.chain(), plan.host(), plan.now());
        if (problem.isPresent()) {
            if (trust != null && trust.chain() != null) {
                tls = TlsFacts.ofChain(trust.chain(), plan.now());
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
            case QUIT -> "to QUIT";
            case DONE -> "after the verdict";
        };
    }

    private void internalError(RuntimeException e) {
        log.error("smtp-probe engine error in state {} for {}", state, plan.remote(), e);
        decide(Verdict.PROTOCOL_ERROR, "internal error in the probe: " + e, e);
        close();
    }

    // ---- decisions and evidence ---------------------------------------------------------------------------------

    private void decide(Verdict v, String text, Throwable cause) {
        if (verdict != null) {
            return;
        }
        verdict = v;
        detail = text;
        if (decidedPhase == null) {
            decidedPhase = phase != null ? phase : Phase.CONNECT;
        }
        if (cause != null) {
            failure = FailureInfo.of(cause);
        }
        if (v != Verdict.OK) {
            note(v + ": " + text);
            if (phase != null) {
                plan.listener().phaseFailed(phase, plan.host(), v, Duration.ofNanos(System.nanoTime() - phaseStartNanos));
                timings.put(phase, Duration.ofNanos(System.nanoTime() - phaseStartNanos));
                phase = null;
            }
        }
    }

    private void finish() {
        if (outcome.isDone()) {
            return;
        }
        if (phase != null) {
            endPhase();
        }
        state = State.DONE;
        if (verdict == null) {
            decide(Verdict.PROTOCOL_ERROR, "the attempt ended without a verdict", null);
        }
        if (droppedTranscriptLines > 0) {
            transcript.add(new TranscriptLine(offset(), Direction.INFO, droppedTranscriptLines + " more lines not kept"));
        }
        outcome.complete(new Attempt(plan.host(), plan.remote(), local, plan.tlsMode(), verdict, decidedPhase, detail,
                policyReason, greeting, ehlo, capabilities, tls, lastReply, failure, startedAt,
                Duration.ofNanos(System.nanoTime() - startNanos), timings, transcript));
    }

    private void startPhase(Phase p) {
        phase = p;
        phaseStartNanos = System.nanoTime();
        plan.listener().phaseStart(p, plan.host(), plan.remote());
    }

    private void endPhase() {
        if (phase == null) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - phaseStartNanos);
        timings.merge(phase, took, Duration::plus);
        plan.listener().phaseEnd(phase, plan.host(), took);
        phase = null;
    }

    private void send(String line, Duration timeout) {
        record(Direction.CLIENT, line);
        lastTimeout = plan.deadline().cap(timeout);
        link.send(line, lastTimeout);
    }

    private void recordReply(SmtpReply reply) {
        List<String> lines = reply.lines();
        for (int i = 0; i < lines.size(); i++) {
            StringBuilder sb = new StringBuilder().append(reply.code()).append(i == lines.size() - 1 ? ' ' : '-');
            if (reply.enhancedStatus() != null && i == 0) {
                sb.append(reply.enhancedStatus()).append(' ');
            }
            record(Direction.SERVER, sb.append(lines.get(i)).toString().stripTrailing());
        }
    }

    private void note(String text) {
        record(Direction.INFO, text);
    }

    private void record(Direction direction, String text) {
        if (transcript.size() >= MAX_TRANSCRIPT_LINES) {
            droppedTranscriptLines++;
            return;
        }
        String kept = text.length() > MAX_TRANSCRIPT_LINE_LENGTH
                ? text.substring(0, MAX_TRANSCRIPT_LINE_LENGTH) + "... (" + text.length() + " chars)" : text;
        transcript.add(new TranscriptLine(offset(), direction, kept));
    }

    private Duration offset() {
        return Duration.ofNanos(System.nanoTime() - plan.probeStartNanos());
    }

    private TlsParameters tlsParameters() {
        trust = new RecordingTrustManager(plan.probe().trustManager() != null
                ? plan.probe().trustManager() : TrustMaterial.jdkDefault());
        return new TlsParameters(Addresses.stripBrackets(plan.host()), plan.remote().getPort(), trust,
                plan.probe().verifyHostname(), plan.deadline().cap(plan.probe().replyTimeout()));
    }

    private String ehloName() {
        if (ehloName == null) {
            ehloName = plan.probe().ehloName() != null ? plan.probe().ehloName() : EhloName.defaultFor(local);
        }
        return ehloName;
    }

    private static Capabilities parseCapabilities(SmtpReply reply) {
        List<String> lines = reply.lines();
        String first = lines.isEmpty() ? "" : lines.get(0).trim();
        int space = first.indexOf(' ');
        String name = space < 0 ? first : first.substring(0, space);
        return new Capabilities(name, lines.size() > 1 ? lines.subList(1, lines.size()) : List.of());
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
