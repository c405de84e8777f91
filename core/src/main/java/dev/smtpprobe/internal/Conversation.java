package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.RecipientResult;
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
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;

/**
 * The SMTP dialogue of one connection attempt, as a state machine driven by transport events. No I/O of its own:
 * it reacts to {@link Dialogue} callbacks and answers through the {@link Link}.
 *
 * <pre>
 * CONNECTING → [TLS_CONNECT] → GREETING → EHLO (→ HELO) → [STARTTLS → TLS_HANDSHAKE → EHLO_TLS]
 *   → [AUTH (→ AUTH_CANCEL)] → [MAIL → RCPT… → RSET] → QUIT → DONE
 * </pre>
 *
 * <p>AUTH runs only with credentials, and sends them only over TLS unless plain text is allowed; the SASL lines are
 * recorded as {@code <redacted>} and, once a secret is in play, every reply, note and failure message is scrubbed of
 * it ({@link Redaction}). The envelope never reaches DATA: RSET follows the last RCPT TO.
 *
 * <p>The first decision wins: once a verdict is set, later events only add evidence or close the connection.
 * Every callback is guarded: an unexpected exception in this class ends the attempt with
 * {@link Verdict#PROTOCOL_ERROR} rather than leaving the probe waiting. Methods are synchronized because the
 * safety net of {@link #forceFinish} may run on another thread than the transport's.
 */
final class Conversation implements Dialogue {

    private static final LazyLogger log = new LazyLogger(Conversation.class);

    /** At most this many transcript lines are kept per attempt; a hostile server cannot grow it further. */
    static final int MAX_TRANSCRIPT_LINES = 1000;
    /** Transcript lines are cut to this many characters. */
    static final int MAX_TRANSCRIPT_LINE_LENGTH = 1000;
    /** At most this many characters of transcript are kept per attempt, whatever the number of lines. */
    static final int MAX_TRANSCRIPT_CHARS = 16 * 1024;
    /** QUIT is a courtesy: never wait long for its 221. */
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    enum State {
        CONNECTING, TLS_CONNECT, GREETING, EHLO, HELO, STARTTLS, TLS_HANDSHAKE, EHLO_TLS,
        AUTH, AUTH_CANCEL, MAIL, RCPT, RSET, QUIT, DONE
    }

    private final AttemptPlan plan;
    private final CompletableFuture<Attempt> outcome = new CompletableFuture<>();
    private final Instant startedAt;
    private final long startNanos;

    private State state = State.CONNECTING;
    private Link link;
    /** The caller gave up on the probe: see {@link #abort}. */
    private boolean aborted;
    private java.net.InetSocketAddress local;
    private SmtpReply greeting;
    private SmtpReply ehlo;
    private SmtpReply lastReply;
    private Capabilities capabilities = Capabilities.NONE;
    private TlsInfo tls;
    private boolean tlsActive;
    private String ehloName;

    private final List<TranscriptLine> transcript = new ArrayList<>();
    private int droppedTranscriptLines;
    private int transcriptChars;
    private final EnumMap<Phase, Duration> timings = new EnumMap<>(Phase.class);
    private Phase phase;
    private long phaseStartNanos;

    private Verdict verdict;
    private Phase decidedPhase;
    private String detail = "";
    private PolicyReason policyReason;
    private FailureInfo failure;
    private Duration lastTimeout;

    // ---- AUTH and ENVELOPE ----
    private final Credentials credentials;
    private final Redaction redaction = new Redaction();
    /** What EHLO advertised before STARTTLS; {@code null} when the session was not upgraded with STARTTLS. */
    private Capabilities capabilitiesBeforeTls;
    private Sasl.Client sasl;
    private AuthResult.Status authStatus;
    private AuthMechanism authMechanism;
    private SmtpReply authReply;
    private List<String> authOffered = List.of();
    private boolean credentialsSent;
    /** The last 334 challenge, decoded and scrubbed (XOAUTH2 puts its error there). */
    private String saslChallenge;
    private boolean envelopeStarted;
    private boolean smtpUtf8;
    private int nextRecipient;
    private final List<RecipientResult> recipients = new ArrayList<>();

    Conversation(AttemptPlan plan) {
        this.plan = plan;
        this.credentials = CredentialAccess.of(plan.probe());
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
        if (state != State.DONE) {
            state = State.DONE;
        }
        if (verdict == null) {
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
    public synchronized void onReply(SmtpReply received) {
        try {
            // Bounded before anything else looks at it: whatever the server sent (up to 2 MiB per reply), what is
            // stored, classified, described and recorded is at most a few KiB. Once a secret is in play, a server
            // echoing it must not get it into the result: each line kept is scrubbed whole, before the cut.
            SmtpReply reply = Texts.cut(received, replyLimit(), redaction::scrub);
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
                case AUTH -> onAuthReply(reply);
                case AUTH_CANCEL -> quit();
                case MAIL -> onMailReply(reply);
                case RCPT -> onRcptReply(reply);
                case RSET -> onRsetReply(reply);
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

    /** How much of a reply in the current state is kept ({@link Texts}). */
    private int replyLimit() {
        return switch (state) {
            // The capabilities are read from what is kept; a 334 challenge line is kept whole.
            case EHLO, HELO, EHLO_TLS, AUTH -> Texts.MAX_LONG_REPLY;
            case RCPT -> Math.max(Texts.MIN_RECIPIENT_REPLY, Math.min(Texts.MAX_REPLY,
                    Texts.MAX_RECIPIENT_REPLIES / Math.max(1, plan.probe().envelopeRecipients().size())));
            default -> Texts.MAX_REPLY;
        };
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
            if (verdict == null && plan.transport() instanceof Prober.OnCaller
                    && Thread.currentThread().isInterrupted()) {
                // run()'s caller was interrupted and the transport closed the connection for it: not the server.
                abort();
            }
            if (verdict == null) {
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
        if (verdict == null) {
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
            capabilitiesBeforeTls = capabilities;
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

    /** Every requested step so far passed: authenticate, then try the envelope, when asked; then say goodbye. */
    private void succeed() {
        if (credentials != null && authStatus == null) {
            beginAuth();
            return;
        }
        if (plan.probe().envelopeSender() != null && !envelopeStarted) {
            beginEnvelope();
            return;
        }
        // Every requested phase ended; an OK attempt ends with QUIT (not at CONNECT, the default for no phase).
        decidedPhase = Phase.QUIT;
        decide(Verdict.OK, okDetail(), null);
        quit();
    }

    // ---- AUTH ---------------------------------------------------------------------------------------------------

    private void beginAuth() {
        startPhase(Phase.AUTH);
        authOffered = Sasl.offeredMechanisms(capabilities.extensions());
        if (authOffered.isEmpty()) {
            authStatus = AuthResult.Status.UNAVAILABLE;
            decide(Verdict.AUTH_UNAVAILABLE, "the server advertises no AUTH " + noAuthContext()
                    + "; credentials were not sent", null);
            quit();
            return;
        }
        if (!tlsActive && !plan.probe().allowPlaintextAuth()) {
            authStatus = AuthResult.Status.REQUIRES_TLS;
            decide(Verdict.AUTH_REQUIRES_TLS, "credentials were not sent: the session is not encrypted ("
                    + whyNoTls() + ") and allowPlaintextAuth() is not set; use STARTTLS (587) or implicit TLS (465)", null);
            quit();
            return;
        }
        AuthMechanism forced = plan.probe().authMechanism();
        Optional<AuthMechanism> chosen = Sasl.choose(credentials.kind(), forced, authOffered);
        if (chosen.isEmpty()) {
            authStatus = AuthResult.Status.UNAVAILABLE;
            String usable = Sasl.usableWith(credentials.kind()).stream().map(AuthMechanism::saslName)
                    .reduce((a, b) -> a + ", " + b).orElse("");
            decide(Verdict.AUTH_UNAVAILABLE, (forced != null
                    ? "the server does not offer the requested mechanism " + forced + ": it offers AUTH " + String.join(" ", authOffered)
                    : "no mechanism in common: the server offers AUTH " + String.join(" ", authOffered) + "; the probe speaks "
                    + usable + " with " + (credentials.kind() == Credentials.Kind.PASSWORD ? "a password" : "an OAuth2 token"))
                    + startTlsComparison() + "; credentials were not sent", null);
            quit();
            return;
        }
        authMechanism = chosen.get();
        char[] secret;
        try {
            secret = credentials.secret();
        } catch (IllegalStateException e) {
            authStatus = AuthResult.Status.FAILED;
            decide(Verdict.AUTH_FAILED, "credentials were not sent: " + e.getMessage(), null);
            quit();
            return;
        }
        sasl = Sasl.client(authMechanism, credentials.username(), secret, redaction);
        authStatus = AuthResult.Status.INTERRUPTED;
        state = State.AUTH;
        log.get().debug("AUTH {} as {} to {} ({})", authMechanism, credentials.username(), plan.remote(),
                tlsActive ? "TLS" : "plain text allowed");
        note("authenticating as " + credentials.username() + " with " + authMechanism
                + (tlsActive ? " over " + (tls != null ? tls.protocol() : "TLS") : " over plain text (allowPlaintextAuth)"));
        sendSecret(sasl.start());
    }

    private void onAuthReply(SmtpReply reply) {
        if (reply.code() == 334) {
            String decoded = Sasl.decodeChallenge(reply.text(), redaction);
            if (decoded != null && !decoded.isEmpty()) {
                saslChallenge = decoded;
                note("challenge (decoded): " + saslChallenge);
            }
            Optional<Sasl.Step> answer = sasl.onChallenge(reply.text());
            if (answer.isPresent()) {
                sendSecret(answer.get());
                return;
            }
            authReply = reply;
            endSasl();
            decide(Verdict.PROTOCOL_ERROR, "unexpected 334 challenge during AUTH " + authMechanism
                    + "; the exchange was cancelled", null);
            state = State.AUTH_CANCEL;
            send(Sasl.Client.cancel().line(), plan.probe().replyTimeout());
            return;
        }
        authReply = reply;
        endSasl();
        if (reply.code() == 235) {
            authStatus = AuthResult.Status.AUTHENTICATED;
            endPhase();
            succeed();
            return;
        }
        authFailure(reply);
    }

    private void authFailure(SmtpReply reply) {
        int code = reply.code();
        EnhancedStatus status = reply.enhancedStatus();
        String text = lower(reply.text());
        String works = "the connection works (TCP, banner, EHLO" + (tlsActive ? ", TLS" : "") + " passed): ";
        if (code == 530 || code == 538) {
            authStatus = AuthResult.Status.REQUIRES_TLS;
            decide(Verdict.AUTH_REQUIRES_TLS, reply + ": the server requires " + (code == 538
                    ? "an encrypted session for the " + authMechanism + " mechanism" : "TLS before AUTH")
                    + (tlsActive ? " (although this session is encrypted: the server may want a stronger TLS setup or a"
                    + " different port)" : "; the credentials were sent in plain text because allowPlaintextAuth() is set"), null);
        } else if (code == 500 || code == 502 || code == 504) {
            authStatus = AuthResult.Status.UNAVAILABLE;
            decide(Verdict.AUTH_UNAVAILABLE, reply + ": the server refused AUTH " + authMechanism
                    + " although it advertised AUTH " + String.join(" ", authOffered), null);
        } else if (code == 421) {
            // The server is closing the session: a rejection of the session, not of the credentials.
            reject(Phase.AUTH, reply);
            return;
        } else if (reply.isTransientFailure()) {
            authStatus = AuthResult.Status.TEMPORARY_FAILURE;
            decide(Verdict.AUTH_FAILED, works + "temporary authentication failure " + reply
                    + ": the server could not check the credentials now (a rate limit or an outage of its user"
                    + " directory); retry later before changing the password", null);
        } else if (code == 534) {
            authStatus = AuthResult.Status.FAILED;
            boolean appPassword = text.contains("application-specific") || text.contains("app password")
                    || text.contains("application specific");
            boolean webLogin = status != null && status.subject() == 7 && status.detail() == 14;
            decide(Verdict.AUTH_FAILED, works + reply + ": " + (appPassword
                    ? "an application-specific password is required: the account uses 2-step verification; create an"
                    + " app password at the provider and use it instead of the account password"
                    : webLogin
                    ? "the provider wants an interactive sign-in first (web login or security check), then retry"
                    : "the mechanism " + authMechanism + " is too weak for this account, or an application-specific"
                    + " password is required; try an app password or OAuth2"), null);
        } else if (reply.isPermanentFailure()) {
            authStatus = AuthResult.Status.FAILED;
            String what = authMechanism == AuthMechanism.XOAUTH2
                    ? "the OAuth2 token for " + credentials.username() + " was rejected"
                    + (saslChallenge != null ? " (server said " + saslChallenge + ")" : "")
                    + ": refresh the token and check its scope"
                    : "the server rejected the username or password for " + credentials.username()
                    + ": fix the credentials (or use an application-specific password)";
            decide(Verdict.AUTH_FAILED, works + reply + ": " + what + "; not a network problem", null);
        } else {
            authStatus = AuthResult.Status.INTERRUPTED;
            decide(Verdict.PROTOCOL_ERROR, "unexpected reply to AUTH " + authMechanism + ": " + reply, null);
        }
        quit();
    }

    /** Whatever the exchange still holds is zeroed; the redaction forms stay until the attempt ends. */
    private void endSasl() {
        if (sasl != null) {
            credentialsSent |= sasl.credentialsSent();
            sasl.dispose();
        }
    }

    private void sendSecret(Sasl.Step step) {
        record(Direction.CLIENT, step.shown());
        lastTimeout = plan.deadline().cap(plan.probe().replyTimeout());
        link.send(step.line(), lastTimeout);
        credentialsSent |= sasl.credentialsSent();
    }

    private String whyNoTls() {
        return switch (plan.tlsMode()) {
            case NONE -> "tls(NONE)" + (capabilities.startTls() ? "; the server offers STARTTLS: use tls(STARTTLS)" : "");
            case STARTTLS -> "the server does not offer STARTTLS";
            default -> "no TLS session";
        };
    }

    /** Where AUTH was not seen, and where it may be. */
    private String noAuthContext() {
        if (capabilitiesBeforeTls != null) {
            List<String> before = Sasl.offeredMechanisms(capabilitiesBeforeTls.extensions());
            return before.isEmpty() ? "before or after STARTTLS"
                    : "after STARTTLS (before it, it offered AUTH " + String.join(" ", before) + ")";
        }
        if (capabilities == Capabilities.NONE) {
            return "(it does not speak ESMTP: only HELO)";
        }
        StringBuilder sb = new StringBuilder(tlsActive ? "over implicit TLS" : "in plain text");
        if (!tlsActive && capabilities.startTls()) {
            sb.append("; it offers STARTTLS, and many servers offer AUTH only after it: probe with tls(STARTTLS)");
        }
        if (plan.remote().getPort() == 25) {
            sb.append("; port 25 is for relaying between servers, submission with AUTH is on 587 (or 465)");
        }
        return sb.toString();
    }

    /** Compares the AUTH lines before and after STARTTLS, when there was an upgrade. */
    private String startTlsComparison() {
        if (capabilitiesBeforeTls == null) {
            return "";
        }
        List<String> before = Sasl.offeredMechanisms(capabilitiesBeforeTls.extensions());
        if (before.isEmpty()) {
            return " (AUTH appeared only after STARTTLS)";
        }
        return before.equals(authOffered) ? " (the same before STARTTLS)"
                : " (before STARTTLS it offered AUTH " + String.join(" ", before) + ")";
    }

    // ---- ENVELOPE -----------------------------------------------------------------------------------------------

    private void beginEnvelope() {
        envelopeStarted = true;
        startPhase(Phase.ENVELOPE);
        String sender = plan.probe().envelopeSender();
        List<String> rcpts = plan.probe().envelopeRecipients();
        boolean needsUtf8 = !Envelope.isAscii(sender) || rcpts.stream().anyMatch(r -> !Envelope.isAscii(r));
        smtpUtf8 = needsUtf8 && capabilities.smtpUtf8();
        if (!Envelope.isAscii(sender) && !smtpUtf8) {
            policyReason = PolicyReason.OTHER;
            decide(Verdict.SMTP_PERMANENT_REJECTION, "the sender " + sender + " needs SMTPUTF8 (RFC 6531), which the"
                    + " server does not advertise: it cannot take mail from this address; MAIL FROM was not sent", null);
            quit();
            return;
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(sender).append('>');
        long size = plan.probe().messageSize();
        Optional<Long> limit = capabilities.maxSize();
        if (size > 0 && limit.isPresent()) {
            mail.append(" SIZE=").append(size);
            if (limit.get() > 0 && size > limit.get()) {
                note("the message size " + size + " exceeds the server's advertised SIZE limit of " + limit.get() + " bytes");
            }
        } else if (size > 0) {
            note("the server does not advertise SIZE: the message size " + size + " cannot be declared");
        }
        if (smtpUtf8) {
            mail.append(" SMTPUTF8");
        }
        state = State.MAIL;
        send(mail.toString(), plan.probe().replyTimeout());
    }

    private void onMailReply(SmtpReply reply) {
        if (reply.isPositive()) {
            nextRecipient();
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            policyReason = Envelope.reasonFor(reply);
            Optional<Long> limit = capabilities.maxSize();
            boolean tooBig = reply.code() == 552 || reply.enhancedStatus() != null
                    && reply.enhancedStatus().subject() == 3 && reply.enhancedStatus().detail() == 4;
            decide(reply.isTransientFailure() ? Verdict.SMTP_TRANSIENT_REJECTION : Verdict.SMTP_PERMANENT_REJECTION,
                    "MAIL FROM:<" + plan.probe().envelopeSender() + "> refused: " + reply
                    + " (" + policyReason + ")" + (tooBig && plan.probe().messageSize() > 0 && limit.isPresent()
                    ? "; the message is " + plan.probe().messageSize() + " bytes, the server's limit " + limit.get() : "")
                    + "; no recipient was tried", null);
            quit();
        } else {
            decide(Verdict.PROTOCOL_ERROR, "unexpected reply to MAIL FROM: " + reply, null);
            quit();
        }
    }

    /** Sends RCPT TO for the next recipient the server can take, or RSET after the last. */
    private void nextRecipient() {
        List<String> rcpts = plan.probe().envelopeRecipients();
        while (nextRecipient < rcpts.size()) {
            String r = rcpts.get(nextRecipient);
            if (!Envelope.isAscii(r) && !smtpUtf8) {
                recipients.add(new RecipientResult(r, RecipientResult.Status.NOT_TRIED, null, PolicyReason.OTHER,
                        "needs SMTPUTF8 (RFC 6531), which the server does not advertise: RCPT TO was not sent"));
                nextRecipient++;
                continue;
            }
            state = State.RCPT;
            send("RCPT TO:<" + r + ">", plan.probe().replyTimeout());
            return;
        }
        // Never DATA: reset the transaction so that nothing is queued.
        state = State.RSET;
        send("RSET", plan.probe().replyTimeout());
    }

    private void onRcptReply(SmtpReply reply) {
        String r = plan.probe().envelopeRecipients().get(nextRecipient++);
        if (reply.isPositive()) {
            recipients.add(new RecipientResult(r, RecipientResult.Status.ACCEPTED, reply, null, ""));
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            PolicyReason reason = Envelope.reasonFor(reply);
            recipients.add(new RecipientResult(r, reply.isTransientFailure() ? RecipientResult.Status.TRANSIENT_REJECTION
                    : RecipientResult.Status.PERMANENT_REJECTION, reply, reason,
                    Policies.describe(Phase.ENVELOPE, reply, reason)));
            if (reply.code() == 421) {
                // The server is closing the session: the remaining recipients cannot be tried.
                endEnvelope();
                return;
            }
        } else {
            decide(Verdict.PROTOCOL_ERROR, "unexpected reply to RCPT TO:<" + r + ">: " + reply, null);
            quit();
            return;
        }
        nextRecipient();
    }

    private void onRsetReply(SmtpReply reply) {
        if (reply.code() != 250) {
            note("RSET answered " + reply + " (no message was sent: DATA was never issued)");
        }
        endEnvelope();
    }

    /** Every recipient was tried: OK when all were accepted, otherwise a rejection at ENVELOPE. */
    private void endEnvelope() {
        List<RecipientResult> refused = recipients.stream()
                .filter(r -> r.isRejected() || r.status() == RecipientResult.Status.NOT_TRIED).toList();
        if (refused.isEmpty()) {
            endPhase();
            succeed();
            return;
        }
        boolean permanent = refused.stream().anyMatch(r -> r.status() != RecipientResult.Status.TRANSIENT_REJECTION);
        RecipientResult first = refused.stream().filter(r -> !permanent || r.status() != RecipientResult.Status.TRANSIENT_REJECTION)
                .findFirst().orElse(refused.get(0));
        policyReason = first.reason();
        StringBuilder sb = new StringBuilder().append(refused.size()).append(" of ")
                .append(plan.probe().envelopeRecipients().size()).append(" recipient(s) refused: ");
        for (int i = 0; i < refused.size(); i++) {
            RecipientResult r = refused.get(i);
            sb.append(i == 0 ? "" : "; ").append(r.address()).append(' ')
                    .append(r.reply() != null ? r.reply().toString() : r.detail()).append(" (").append(r.reason()).append(')');
        }
        decide(permanent ? Verdict.SMTP_PERMANENT_REJECTION : Verdict.SMTP_TRANSIENT_REJECTION, sb.toString(), null);
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
        if (authStatus == AuthResult.Status.AUTHENTICATED) {
            sb.append(", AUTH ").append(authMechanism).append(" 235 as ").append(credentials.username());
        }
        if (envelopeStarted) {
            sb.append(", MAIL FROM and ").append(recipients.size()).append(" RCPT TO accepted (RSET, no DATA)");
        }
        return sb.toString();
    }

    private void reject(Phase at, SmtpReply reply) {
        policyReason = Policies.reasonFor(reply);
        decidedPhase = at;
        decide(reply.isTransientFailure() ? Verdict.SMTP_TRANSIENT_REJECTION : Verdict.SMTP_PERMANENT_REJECTION,
                Policies.describe(at, reply, policyReason), null);
        quit();
    }

    /** Says goodbye when the dialogue allows it, then closes. */
    private void quit() {
        if (link == null) {
            // Never connected: nothing to say goodbye to.
            state = State.DONE;
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
            try {
                link.close();
            } catch (RuntimeException e) {
                // The transport cannot be trusted to report the end now: end the attempt here.
                transportFailed("Link.close()", e);
            }
        }
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

    // ---- decisions and evidence ---------------------------------------------------------------------------------

    private void decide(Verdict v, String text, Throwable cause) {
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
            failure = new FailureInfo(cause.getClass().getName(), redaction.scrub(cause.getMessage()));
        }
        if (v != Verdict.OK) {
            note(v + ": " + text);
            if (phase != null) {
                plan.listener().phaseFailed(phase, plan.attemptId(), v, Duration.ofNanos(System.nanoTime() - phaseStartNanos));
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
        if (sasl != null) {
            endSasl();
        }
        AuthResult auth = authStatus == null ? null : new AuthResult(authStatus, authMechanism, credentialsSent,
                authReply, authOffered, capabilitiesBeforeTls == null ? null
                : Sasl.offeredMechanisms(capabilitiesBeforeTls.extensions()));
        List<String> wanted = plan.probe().envelopeRecipients();
        List<RecipientResult> envelope = new ArrayList<>(recipients);
        for (int i = envelope.size(); i < wanted.size(); i++) {
            envelope.add(new RecipientResult(wanted.get(i), RecipientResult.Status.NOT_TRIED, null, null,
                    "not tried: the attempt ended with " + verdict + " at " + decidedPhase + " before RCPT TO"));
        }
        if (auth != null) {
            log.get().debug("AUTH at {} ended {}: {}", plan.remote(), auth, detail);
        }
        if (!envelope.isEmpty()) {
            log.get().debug("envelope at {}: {}", plan.remote(), envelope);
        }
        // Every text is scrubbed by now; the secret's forms are not needed any more.
        redaction.clear();
        Attempt attempt = Attempt.builder().host(plan.host()).remote(plan.remote()).local(local)
                .tlsMode(plan.tlsMode()).verdict(verdict).phase(decidedPhase).detail(detail).policyReason(policyReason)
                .greeting(greeting).ehlo(ehlo).capabilities(capabilities).tls(tls).lastReply(lastReply)
                .failure(failure).startedAt(startedAt).elapsed(Duration.ofNanos(System.nanoTime() - startNanos))
                .timings(timings).transcript(transcript).auth(auth).recipients(envelope).build();
        // What completes here may complete the probe, and runAsync()'s callbacks run on this thread: mark it.
        CallbackThreads.during(() -> outcome.complete(attempt));
    }

    private void startPhase(Phase p) {
        phase = p;
        phaseStartNanos = System.nanoTime();
        plan.listener().phaseStart(p, plan.attemptId());
    }

    private void endPhase() {
        if (phase == null) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - phaseStartNanos);
        timings.merge(phase, took, Duration::plus);
        plan.listener().phaseEnd(phase, plan.attemptId(), took);
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

    /** Records a line, scrubbed, escaped ({@link dev.smtpprobe.PrintableText}) and cut; beyond the bounds, counts it. */
    private void record(Direction direction, String line) {
        if (transcript.size() >= MAX_TRANSCRIPT_LINES || transcriptChars >= MAX_TRANSCRIPT_CHARS) {
            droppedTranscriptLines++;
            return;
        }
        String kept = Texts.printable(redaction.scrub(line), MAX_TRANSCRIPT_LINE_LENGTH);
        transcriptChars += kept.length();
        transcript.add(new TranscriptLine(offset(), direction, kept));
    }

    private Duration offset() {
        return Duration.ofNanos(System.nanoTime() - plan.probeStartNanos());
    }

    private TlsParameters tlsParameters() {
        // One recording manager per trust configuration, not per handshake: the transport keeps a TLS context per
        // trust manager, so a new one each time would build a new context for every probe.
        RecordingTrustManager trust = plan.probe().trustManager() != null
                ? RecordingTrustManager.forDelegate(plan.probe().trustManager()) : RecordingTrustManager.forJdkDefault();
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
