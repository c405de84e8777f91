package dev.smtpprobe.internal;

import dev.smtpprobe.Capabilities;
import dev.smtpprobe.Phase;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.Verdict;
import java.util.List;

/**
 * EHLO, and HELO when the server does not speak ESMTP (500 or 502 to EHLO, RFC 5321 §3.2): 250 passes with the
 * capabilities advertised (none after HELO); 4xx/5xx is a rejection of the session.
 */
final class EhloStep implements Step {

    private String name;

    @Override
    public void begin(Context ctx) {
        ctx.startPhase(Phase.EHLO);
        ctx.state(Conversation.State.EHLO);
        ctx.send("EHLO " + name(ctx), ctx.plan().probe().replyTimeout());
    }

    @Override
    public void onReply(Context ctx, SmtpReply reply) {
        boolean helo = ctx.state() == Conversation.State.HELO;
        if (reply.code() == 250) {
            ctx.evidence().ehlo(reply, helo ? Capabilities.NONE : capabilities(reply));
            ctx.endPhase();
            ctx.pass();
        } else if (!helo && (reply.code() == 500 || reply.code() == 502)) {
            ctx.note("EHLO not supported; falling back to HELO");
            ctx.state(Conversation.State.HELO);
            ctx.send("HELO " + name(ctx), ctx.plan().probe().replyTimeout());
        } else if (reply.isTransientFailure() || reply.isPermanentFailure()) {
            ctx.reject(Phase.EHLO, reply);
        } else {
            ctx.stop(Verdict.PROTOCOL_ERROR, "unexpected reply to " + (helo ? "HELO" : "EHLO") + ": " + reply);
        }
    }

    /** The capabilities are read from what is kept: EHLO replies are kept long. */
    @Override
    public int replyLimit(Context ctx) {
        return Texts.MAX_LONG_REPLY;
    }

    @Override
    public String summary(Context ctx) {
        return "EHLO 250";
    }

    /** The name this client gives in EHLO and HELO: the configured one, else one made from the local address. */
    String name(Context ctx) {
        if (name == null) {
            name = ctx.plan().probe().ehloName() != null ? ctx.plan().probe().ehloName()
                    : EhloName.defaultFor(ctx.evidence().local());
            ctx.evidence().ehloName(name);
        }
        return name;
    }

    /** What a 250 reply to EHLO advertises: the first line names the server, each further line is an extension. */
    static Capabilities capabilities(SmtpReply reply) {
        List<String> lines = reply.lines();
        String first = lines.isEmpty() ? "" : lines.get(0).trim();
        int space = first.indexOf(' ');
        String serverName = space < 0 ? first : first.substring(0, space);
        return new Capabilities(serverName, lines.size() > 1 ? lines.subList(1, lines.size()) : List.of());
    }
}
