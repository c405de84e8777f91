package dev.smtpprobe.internal;

import dev.smtpprobe.Capabilities;
import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.spi.TlsParameters;

/**
 * STARTTLS, the TLS handshake, and EHLO again over TLS, in the STARTTLS modes on a session not yet encrypted. A
 * server that does not advertise STARTTLS fails {@link TlsMode#STARTTLS_REQUIRED} and is accepted in plain text
 * with {@link TlsMode#STARTTLS}; a server that refuses it fails with {@link Verdict#STARTTLS_UNAVAILABLE}.
 */
final class StartTlsStep implements Step {

    private final EhloStep ehlo;

    /** @param ehlo the EHLO step, whose name is given again after TLS */
    StartTlsStep(EhloStep ehlo) {
        this.ehlo = ehlo;
    }

    @Override
    public boolean applies(Context ctx) {
        return !ctx.tlsActive() && ctx.plan().tlsMode().usesStartTls();
    }

    @Override
    public void begin(Context ctx) {
        Capabilities capabilities = ctx.evidence().capabilities();
        if (capabilities.startTls()) {
            ctx.startPhase(Phase.STARTTLS);
            ctx.state(Conversation.State.STARTTLS);
            ctx.send("STARTTLS", ctx.plan().probe().replyTimeout());
        } else if (ctx.plan().tlsMode() == TlsMode.STARTTLS_REQUIRED) {
            ctx.evidence().decidedAt(Phase.STARTTLS);
            ctx.stop(Verdict.STARTTLS_UNAVAILABLE, "STARTTLS is required but the server does not advertise it"
                    + (capabilities == Capabilities.NONE ? " (it does not speak ESMTP)" : ""));
        } else {
            ctx.note("the server does not offer STARTTLS; continuing in plain text");
            ctx.pass();
        }
    }

    @Override
    public void onReply(Context ctx, SmtpReply reply) {
        if (ctx.state() == Conversation.State.EHLO_TLS) {
            onEhloAfterTls(ctx, reply);
        } else if (reply.code() == 220) {
            ctx.state(Conversation.State.TLS_HANDSHAKE);
            ctx.evidence().capabilitiesBeforeTls(ctx.evidence().capabilities());
            ctx.note("TLS handshake (STARTTLS)");
            ctx.startTls(parameters(ctx.plan()));
        } else {
            ctx.evidence().policyReason(reply.isTransientFailure() || reply.isPermanentFailure()
                    ? Policies.reasonFor(reply) : null);
            ctx.stop(Verdict.STARTTLS_UNAVAILABLE, "the server advertised STARTTLS but refused it: " + reply);
        }
    }

    @Override
    public void onTlsEstablished(Context ctx) {
        ctx.state(Conversation.State.EHLO_TLS);
        ctx.send("EHLO " + ehlo.name(ctx), ctx.plan().probe().replyTimeout());
    }

    private void onEhloAfterTls(Context ctx, SmtpReply reply) {
        if (reply.code() == 250) {
            ctx.evidence().ehlo(reply, EhloStep.capabilities(reply));
            ctx.endPhase();
            ctx.pass();
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            ctx.reject(Phase.STARTTLS, reply);
        } else {
            ctx.stop(Verdict.PROTOCOL_ERROR, "unexpected reply to EHLO after STARTTLS: " + reply);
        }
    }

    @Override
    public int replyLimit(Context ctx) {
        return ctx.state() == Conversation.State.EHLO_TLS ? Texts.MAX_LONG_REPLY : Texts.MAX_REPLY;
    }

    /** The TLS part of an OK detail, implicit TLS included. */
    @Override
    public String summary(Context ctx) {
        if (ctx.tls() != null) {
            return (ctx.plan().tlsMode() == TlsMode.IMPLICIT ? "implicit TLS" : "STARTTLS") + " " + ctx.tls().protocol();
        }
        return ctx.plan().tlsMode() == TlsMode.STARTTLS ? "no STARTTLS offered (plain text)" : null;
    }

    /** The name the certificate is verified as: the configured TLS server name, else the host connected to. */
    static String serverName(AttemptPlan plan) {
        String configured = plan.probe().tlsServerName();
        return Addresses.stripBrackets(configured != null ? configured : plan.host());
    }

    /** What a TLS handshake to the plan's server needs, for STARTTLS and implicit TLS alike. */
    static TlsParameters parameters(AttemptPlan plan) {
        // One recording manager per trust configuration, not per handshake: the transport keeps a TLS context per
        // trust manager, so a new one each time would build a new context for every probe.
        RecordingTrustManager trust = plan.probe().trustManager() != null
                ? RecordingTrustManager.forDelegate(plan.probe().trustManager()) : RecordingTrustManager.forJdkDefault();
        return new TlsParameters(serverName(plan), plan.remote().getPort(), trust,
                plan.probe().verifyHostname(), plan.deadline().cap(plan.probe().replyTimeout()),
                TlsVersions.offered());
    }
}
