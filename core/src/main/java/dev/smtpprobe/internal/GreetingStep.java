package dev.smtpprobe.internal;

import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.Verdict;

/** Waits for the server's greeting (the banner): 220 passes, 4xx/5xx is a rejection of the session. */
final class GreetingStep implements Step {

    @Override
    public void begin(Context ctx) {
        ctx.state(Conversation.State.GREETING);
        ctx.startPhase(Phase.GREETING);
        ctx.expectReply(ctx.plan().greetingTimeout());
    }

    @Override
    public void onReply(Context ctx, SmtpReply reply) {
        ctx.evidence().greeting(reply);
        if (reply.code() == 220) {
            ctx.endPhase();
            ctx.pass();
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            ctx.reject(Phase.GREETING, reply);
        } else {
            ctx.stop(Verdict.PROTOCOL_ERROR, "the greeting was " + reply.code() + ", not 220: " + reply);
        }
    }

    @Override
    public String summary(Context ctx) {
        return "220 banner";
    }
}
