package dev.smtpprobe.internal;

import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.Verdict;
import java.time.Duration;

/**
 * The last step: says goodbye, then closes. Reached by passing every step before it, the attempt is
 * {@link Verdict#OK}, decided at {@link Phase#QUIT}; reached by {@link Step.Context#quit} after a decision, it
 * only says goodbye. The 221 is a courtesy: it never changes the verdict.
 */
final class QuitStep implements Step {

    /** QUIT is a courtesy: never wait long for its 221. */
    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(2);

    @Override
    public void begin(Context ctx) {
        if (!ctx.evidence().decided()) {
            ctx.evidence().decidedAt(Phase.QUIT);
            ctx.decide(Verdict.OK, ctx.okDetail());
        }
        ctx.endPhase();
        ctx.state(Conversation.State.QUIT);
        ctx.startPhase(Phase.QUIT);
        Duration reply = ctx.plan().probe().replyTimeout();
        ctx.send("QUIT", QUIT_TIMEOUT.compareTo(reply) < 0 ? QUIT_TIMEOUT : reply);
    }

    @Override
    public void onReply(Context ctx, SmtpReply reply) {
        ctx.close();
    }
}
