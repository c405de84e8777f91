package dev.smtpprobe.internal;

import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The envelope, when the probe has a sender: MAIL FROM (with SIZE and SMTPUTF8 when the server advertises them),
 * one RCPT TO per recipient, then RSET. Never DATA: nothing is queued. Passes when every recipient was accepted;
 * otherwise the first refusal that decides (a permanent one before a transient one) is the rejection.
 */
final class EnvelopeStep implements Step {

    private boolean started;
    private boolean smtpUtf8;
    private int next;
    private final List<RecipientResult> recipients = new ArrayList<>();

    @Override
    public boolean applies(Context ctx) {
        return ctx.plan().probe().envelopeSender() != null && !ctx.plan().confirmation();
    }

    @Override
    public void begin(Context ctx) {
        started = true;
        ctx.startPhase(Phase.ENVELOPE);
        String sender = ctx.plan().probe().envelopeSender();
        List<String> rcpts = ctx.plan().probe().envelopeRecipients();
        boolean needsUtf8 = !Envelope.isAscii(sender) || rcpts.stream().anyMatch(r -> !Envelope.isAscii(r));
        smtpUtf8 = needsUtf8 && ctx.evidence().capabilities().smtpUtf8();
        if (!Envelope.isAscii(sender) && !smtpUtf8) {
            ctx.evidence().policyReason(PolicyReason.OTHER);
            ctx.stop(Verdict.SMTP_PERMANENT_REJECTION, "the sender " + sender + " needs SMTPUTF8 (RFC 6531), which the"
                    + " server does not advertise: it cannot take mail from this address; MAIL FROM was not sent");
            return;
        }
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(sender).append('>');
        long size = ctx.plan().probe().messageSize();
        Optional<Long> limit = ctx.evidence().capabilities().maxSize();
        if (size > 0 && limit.isPresent()) {
            mail.append(" SIZE=").append(size);
            if (limit.get() > 0 && size > limit.get()) {
                ctx.note("the message size " + size + " exceeds the server's advertised SIZE limit of " + limit.get() + " bytes");
            }
        } else if (size > 0) {
            ctx.note("the server does not advertise SIZE: the message size " + size + " cannot be declared");
        }
        if (smtpUtf8) {
            mail.append(" SMTPUTF8");
        }
        ctx.state(Conversation.State.MAIL);
        ctx.send(mail.toString(), ctx.plan().probe().replyTimeout());
    }

    @Override
    public void onReply(Context ctx, SmtpReply reply) {
        switch (ctx.state()) {
            case MAIL -> onMail(ctx, reply);
            case RCPT -> onRcpt(ctx, reply);
            default -> onRset(ctx, reply);
        }
    }

    /** Recipients share one budget: the more there are, the less of each reply is kept. */
    @Override
    public int replyLimit(Context ctx) {
        return ctx.state() != Conversation.State.RCPT ? Texts.MAX_REPLY
                : Math.max(Texts.MIN_RECIPIENT_REPLY, Math.min(Texts.MAX_REPLY,
                Texts.MAX_RECIPIENT_REPLIES / Math.max(1, ctx.plan().probe().envelopeRecipients().size())));
    }

    @Override
    public String summary(Context ctx) {
        return started ? "MAIL FROM and " + recipients.size() + " RCPT TO accepted (RSET, no DATA)" : null;
    }

    /**
     * Every wanted recipient's result: those not reached are {@link RecipientResult.Status#NOT_TRIED}, naming the
     * verdict that ended the attempt first.
     */
    List<RecipientResult> results(Context ctx, Verdict verdict, Phase decidedPhase) {
        List<String> wanted = ctx.plan().probe().envelopeRecipients();
        List<RecipientResult> all = new ArrayList<>(recipients);
        for (int i = all.size(); i < wanted.size(); i++) {
            all.add(new RecipientResult(wanted.get(i), RecipientResult.Status.NOT_TRIED, null, null,
                    "not tried: the attempt ended with " + verdict + " at " + decidedPhase + " before RCPT TO"));
        }
        return all;
    }

    private void onMail(Context ctx, SmtpReply reply) {
        if (reply.isPositive()) {
            nextRecipient(ctx);
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            PolicyReason reason = Envelope.reasonFor(reply);
            ctx.evidence().policyReason(reason);
            Optional<Long> limit = ctx.evidence().capabilities().maxSize();
            long size = ctx.plan().probe().messageSize();
            boolean tooBig = reply.code() == 552 || reply.enhancedStatus() != null
                    && reply.enhancedStatus().subject() == 3 && reply.enhancedStatus().detail() == 4;
            ctx.stop(reply.isTransientFailure() ? Verdict.SMTP_TRANSIENT_REJECTION : Verdict.SMTP_PERMANENT_REJECTION,
                    "MAIL FROM:<" + ctx.plan().probe().envelopeSender() + "> refused: " + reply + " (" + reason + ")"
                    + (tooBig && size > 0 && limit.isPresent()
                    ? "; the message is " + size + " bytes, the server's limit " + limit.get() : "")
                    + "; no recipient was tried");
        } else {
            ctx.stop(Verdict.PROTOCOL_ERROR, "unexpected reply to MAIL FROM: " + reply);
        }
    }

    /** Sends RCPT TO for the next recipient the server can take, or RSET after the last. */
    private void nextRecipient(Context ctx) {
        List<String> rcpts = ctx.plan().probe().envelopeRecipients();
        while (next < rcpts.size()) {
            String r = rcpts.get(next);
            if (!Envelope.isAscii(r) && !smtpUtf8) {
                recipients.add(new RecipientResult(r, RecipientResult.Status.NOT_TRIED, null, PolicyReason.OTHER,
                        "needs SMTPUTF8 (RFC 6531), which the server does not advertise: RCPT TO was not sent"));
                next++;
                continue;
            }
            ctx.state(Conversation.State.RCPT);
            ctx.send("RCPT TO:<" + r + ">", ctx.plan().probe().replyTimeout());
            return;
        }
        // Never DATA: reset the transaction so that nothing is queued.
        ctx.state(Conversation.State.RSET);
        ctx.send("RSET", ctx.plan().probe().replyTimeout());
    }

    private void onRcpt(Context ctx, SmtpReply reply) {
        String r = ctx.plan().probe().envelopeRecipients().get(next++);
        if (reply.isPositive()) {
            recipients.add(new RecipientResult(r, RecipientResult.Status.ACCEPTED, reply, null, ""));
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            PolicyReason reason = Envelope.reasonFor(reply);
            recipients.add(new RecipientResult(r, reply.isTransientFailure() ? RecipientResult.Status.TRANSIENT_REJECTION
                    : RecipientResult.Status.PERMANENT_REJECTION, reply, reason,
                    Policies.describe(Phase.ENVELOPE, reply, reason)));
            if (reply.code() == 421) {
                // The server is closing the session: the remaining recipients cannot be tried.
                end(ctx);
                return;
            }
        } else {
            ctx.stop(Verdict.PROTOCOL_ERROR, "unexpected reply to RCPT TO:<" + r + ">: " + reply);
            return;
        }
        nextRecipient(ctx);
    }

    private void onRset(Context ctx, SmtpReply reply) {
        if (reply.code() != 250) {
            ctx.note("RSET answered " + reply + " (no message was sent: DATA was never issued)");
        }
        end(ctx);
    }

    /** Every recipient was tried: passes when all were accepted, otherwise a rejection at ENVELOPE. */
    private void end(Context ctx) {
        List<RecipientResult> refused = recipients.stream()
                .filter(r -> r.isRejected() || r.status() == RecipientResult.Status.NOT_TRIED).toList();
        if (refused.isEmpty()) {
            ctx.endPhase();
            ctx.pass();
            return;
        }
        boolean permanent = refused.stream().anyMatch(r -> r.status() != RecipientResult.Status.TRANSIENT_REJECTION);
        RecipientResult first = refused.stream()
                .filter(r -> !permanent || r.status() != RecipientResult.Status.TRANSIENT_REJECTION)
                .findFirst().orElse(refused.get(0));
        ctx.evidence().policyReason(first.reason());
        StringBuilder sb = new StringBuilder().append(refused.size()).append(" of ")
                .append(ctx.plan().probe().envelopeRecipients().size()).append(" recipient(s) refused: ");
        for (int i = 0; i < refused.size(); i++) {
            RecipientResult r = refused.get(i);
            sb.append(i == 0 ? "" : "; ").append(r.address()).append(' ')
                    .append(r.reply() != null ? r.reply().toString() : r.detail()).append(" (").append(r.reason()).append(')');
        }
        ctx.stop(permanent ? Verdict.SMTP_PERMANENT_REJECTION : Verdict.SMTP_TRANSIENT_REJECTION, sb.toString());
    }
}
