package dev.smtpprobe.internal;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.Verdict;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * AUTH with the probe's credentials, when it has some. Credentials are sent only over TLS unless plain text is
 * allowed, and only with a mechanism both sides speak; the SASL lines are recorded as {@code <redacted>}, and from
 * the first secret on every text of the attempt is scrubbed of it ({@link Redaction}). 235 passes; a refusal is
 * told apart (wrong credentials, an app password or web login needed, TLS required, a temporary failure).
 */
final class AuthStep implements Step {

    private static final LazyLogger log = new LazyLogger(AuthStep.class);

    private Sasl.Client sasl;
    private AuthResult.Status status;
    private AuthMechanism mechanism;
    private SmtpReply authReply;
    private List<String> offered = List.of();
    private boolean credentialsSent;
    /** The last 334 challenge, decoded and scrubbed (XOAUTH2 puts its error there). */
    private String challenge;

    @Override
    public boolean applies(Context ctx) {
        return ctx.credentials() != null;
    }

    @Override
    public void begin(Context ctx) {
        ctx.startPhase(Phase.AUTH);
        Credentials credentials = ctx.credentials();
        AttemptPlan plan = ctx.plan();
        offered = Sasl.offeredMechanisms(ctx.evidence().capabilities().extensions());
        if (offered.isEmpty()) {
            status = AuthResult.Status.UNAVAILABLE;
            ctx.stop(Verdict.AUTH_UNAVAILABLE, "the server advertises no AUTH " + noAuthContext(ctx)
                    + "; credentials were not sent");
            return;
        }
        if (!ctx.tlsActive() && !plan.probe().allowPlaintextAuth()) {
            status = AuthResult.Status.REQUIRES_TLS;
            ctx.stop(Verdict.AUTH_REQUIRES_TLS, "credentials were not sent: the session is not encrypted ("
                    + whyNoTls(ctx) + ") and allowPlaintextAuth() is not set; use STARTTLS (587) or implicit TLS (465)");
            return;
        }
        AuthMechanism forced = plan.probe().authMechanism();
        Optional<AuthMechanism> chosen = Sasl.choose(credentials.kind(), forced, offered);
        if (chosen.isEmpty()) {
            status = AuthResult.Status.UNAVAILABLE;
            String usable = Sasl.usableWith(credentials.kind()).stream().map(AuthMechanism::saslName)
                    .reduce((a, b) -> a + ", " + b).orElse("");
            ctx.stop(Verdict.AUTH_UNAVAILABLE, (forced != null
                    ? "the server does not offer the requested mechanism " + forced + ": it offers AUTH " + String.join(" ", offered)
                    : "no mechanism in common: the server offers AUTH " + String.join(" ", offered) + "; the probe speaks "
                    + usable + " with " + (credentials.kind() == Credentials.Kind.PASSWORD ? "a password" : "an OAuth2 token"))
                    + startTlsComparison(ctx) + "; credentials were not sent");
            return;
        }
        mechanism = chosen.get();
        ctx.authMechanism(mechanism);
        char[] secret;
        try {
            secret = credentials.secret();
        } catch (IllegalStateException e) {
            status = AuthResult.Status.FAILED;
            ctx.stop(Verdict.AUTH_FAILED, "credentials were not sent: " + e.getMessage());
            return;
        }
        sasl = Sasl.client(mechanism, credentials.username(), secret, ctx.evidence().redaction());
        status = AuthResult.Status.INTERRUPTED;
        ctx.state(Conversation.State.AUTH);
        log.get().debug("AUTH {} as {} to {} ({})", mechanism, credentials.username(), plan.remote(),
                ctx.tlsActive() ? "TLS" : "plain text allowed");
        ctx.note("authenticating as " + credentials.username() + " with " + mechanism + (ctx.tlsActive()
                ? " over " + (ctx.tls() != null ? ctx.tls().protocol() : "TLS") : " over plain text (allowPlaintextAuth)"));
        send(ctx, sasl.start());
    }

    @Override
    public void onReply(Context ctx, SmtpReply reply) {
        if (ctx.state() == Conversation.State.AUTH_CANCEL) {
            ctx.quit();
            return;
        }
        if (reply.code() == 334) {
            String decoded = Sasl.decodeChallenge(reply.text(), ctx.evidence().redaction());
            if (decoded != null && !decoded.isEmpty()) {
                challenge = decoded;
                ctx.note("challenge (decoded): " + challenge);
            }
            Optional<Sasl.Step> answer = sasl.onChallenge(reply.text());
            if (answer.isPresent()) {
                send(ctx, answer.get());
                return;
            }
            authReply = reply;
            endSasl();
            ctx.decide(Verdict.PROTOCOL_ERROR, "unexpected 334 challenge during AUTH " + mechanism
                    + "; the exchange was cancelled");
            ctx.state(Conversation.State.AUTH_CANCEL);
            ctx.send(Sasl.Client.cancel().line(), ctx.plan().probe().replyTimeout());
            return;
        }
        authReply = reply;
        endSasl();
        if (reply.code() == 235) {
            status = AuthResult.Status.AUTHENTICATED;
            ctx.endPhase();
            ctx.pass();
            return;
        }
        failed(ctx, reply);
    }

    /** A 334 challenge line is kept whole. */
    @Override
    public int replyLimit(Context ctx) {
        return ctx.state() == Conversation.State.AUTH ? Texts.MAX_LONG_REPLY : Texts.MAX_REPLY;
    }

    @Override
    public String summary(Context ctx) {
        return status == AuthResult.Status.AUTHENTICATED
                ? "AUTH " + mechanism + " 235 as " + ctx.credentials().username() : null;
    }

    /**
     * What AUTH came to, or {@code null} when the step did not run. Zeroes whatever the SASL exchange still holds;
     * called when the attempt ends.
     */
    AuthResult result(Context ctx) {
        endSasl();
        if (status == null) {
            return null;
        }
        Capabilities before = ctx.evidence().capabilitiesBeforeTls();
        return new AuthResult(status, mechanism, credentialsSent, authReply, offered,
                before == null ? null : Sasl.offeredMechanisms(before.extensions()));
    }

    private void failed(Context ctx, SmtpReply reply) {
        int code = reply.code();
        EnhancedStatus enhanced = reply.enhancedStatus();
        String text = reply.text() == null ? "" : reply.text().toLowerCase(Locale.ROOT);
        boolean tlsActive = ctx.tlsActive();
        String works = "the connection works (TCP, banner, EHLO" + (tlsActive ? ", TLS" : "") + " passed): ";
        String username = ctx.credentials().username();
        if (code == 530 || code == 538) {
            status = AuthResult.Status.REQUIRES_TLS;
            ctx.decide(Verdict.AUTH_REQUIRES_TLS, reply + ": the server requires " + (code == 538
                    ? "an encrypted session for the " + mechanism + " mechanism" : "TLS before AUTH")
                    + (tlsActive ? " (although this session is encrypted: the server may want a stronger TLS setup or a"
                    + " different port)" : "; the credentials were sent in plain text because allowPlaintextAuth() is set"));
        } else if (code == 500 || code == 502 || code == 504) {
            status = AuthResult.Status.UNAVAILABLE;
            ctx.decide(Verdict.AUTH_UNAVAILABLE, reply + ": the server refused AUTH " + mechanism
                    + " although it advertised AUTH " + String.join(" ", offered));
        } else if (code == 421) {
            // The server is closing the session: a rejection of the session, not of the credentials.
            ctx.reject(Phase.AUTH, reply);
            return;
        } else if (reply.isTransientFailure()) {
            status = AuthResult.Status.TEMPORARY_FAILURE;
            ctx.decide(Verdict.AUTH_FAILED, works + "temporary authentication failure " + reply
                    + ": the server could not check the credentials now (a rate limit or an outage of its user"
                    + " directory); retry later before changing the password");
        } else if (code == 534) {
            status = AuthResult.Status.FAILED;
            boolean appPassword = text.contains("application-specific") || text.contains("app password")
                    || text.contains("application specific");
            boolean webLogin = enhanced != null && enhanced.subject() == 7 && enhanced.detail() == 14;
            ctx.decide(Verdict.AUTH_FAILED, works + reply + ": " + (appPassword
                    ? "an application-specific password is required: the account uses 2-step verification; create an"
                    + " app password at the provider and use it instead of the account password"
                    : webLogin
                    ? "the provider wants an interactive sign-in first (web login or security check), then retry"
                    : "the mechanism " + mechanism + " is too weak for this account, or an application-specific"
                    + " password is required; try an app password or OAuth2"));
        } else if (reply.isPermanentFailure()) {
            status = AuthResult.Status.FAILED;
            String what = mechanism == AuthMechanism.XOAUTH2
                    ? "the OAuth2 token for " + username + " was rejected"
                    + (challenge != null ? " (server said " + challenge + ")" : "")
                    + ": refresh the token and check its scope"
                    : "the server rejected the username or password for " + username
                    + ": fix the credentials (or use an application-specific password)";
            ctx.decide(Verdict.AUTH_FAILED, works + reply + ": " + what + "; not a network problem");
        } else {
            status = AuthResult.Status.INTERRUPTED;
            ctx.decide(Verdict.PROTOCOL_ERROR, "unexpected reply to AUTH " + mechanism + ": " + reply);
        }
        ctx.quit();
    }

    /** Whatever the exchange still holds is zeroed; the redaction forms stay until the attempt ends. */
    private void endSasl() {
        if (sasl != null) {
            credentialsSent |= sasl.credentialsSent();
            sasl.dispose();
        }
    }

    private void send(Context ctx, Sasl.Step step) {
        ctx.send(step.line(), step.shown(), ctx.plan().probe().replyTimeout());
        credentialsSent |= sasl.credentialsSent();
    }

    private static String whyNoTls(Context ctx) {
        return switch (ctx.plan().tlsMode()) {
            case NONE -> "tls(NONE)" + (ctx.evidence().capabilities().startTls()
                    ? "; the server offers STARTTLS: use tls(STARTTLS)" : "");
            case STARTTLS -> "the server does not offer STARTTLS";
            default -> "no TLS session";
        };
    }

    /** Where AUTH was not seen, and where it may be. */
    private static String noAuthContext(Context ctx) {
        Capabilities before = ctx.evidence().capabilitiesBeforeTls();
        Capabilities capabilities = ctx.evidence().capabilities();
        if (before != null) {
            List<String> offeredBefore = Sasl.offeredMechanisms(before.extensions());
            return offeredBefore.isEmpty() ? "before or after STARTTLS"
                    : "after STARTTLS (before it, it offered AUTH " + String.join(" ", offeredBefore) + ")";
        }
        if (capabilities == Capabilities.NONE) {
            return "(it does not speak ESMTP: only HELO)";
        }
        StringBuilder sb = new StringBuilder(ctx.tlsActive() ? "over implicit TLS" : "in plain text");
        if (!ctx.tlsActive() && capabilities.startTls()) {
            sb.append("; it offers STARTTLS, and many servers offer AUTH only after it: probe with tls(STARTTLS)");
        }
        if (ctx.plan().remote().getPort() == 25) {
            sb.append("; port 25 is for relaying between servers, submission with AUTH is on 587 (or 465)");
        }
        return sb.toString();
    }

    /** Compares the AUTH lines before and after STARTTLS, when there was an upgrade. */
    private String startTlsComparison(Context ctx) {
        Capabilities before = ctx.evidence().capabilitiesBeforeTls();
        if (before == null) {
            return "";
        }
        List<String> offeredBefore = Sasl.offeredMechanisms(before.extensions());
        if (offeredBefore.isEmpty()) {
            return " (AUTH appeared only after STARTTLS)";
        }
        return offeredBefore.equals(offered) ? " (the same before STARTTLS)"
                : " (before STARTTLS it offered AUTH " + String.join(" ", offeredBefore) + ")";
    }
}
