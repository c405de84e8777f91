package dev.smtpprobe.internal;

import dev.smtpprobe.AuthMechanism;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.spi.TlsParameters;
import java.time.Duration;

/**
 * One step of the SMTP dialogue (the greeting, EHLO, STARTTLS, AUTH, the envelope, QUIT). A {@link Conversation}
 * runs its steps in the order they are listed: each step is asked whether it {@link #applies}; the first that does
 * {@link #begin begins}, sends its commands, receives the replies to them, and either {@link Context#pass passes} to
 * the next step or decides a verdict and {@link Context#quit quits}. A step owns its exchange: no other step sees
 * its replies.
 *
 * <p>A step is made for one attempt and may keep that attempt's state. Steps are called with the conversation's
 * lock held, one event at a time.
 */
interface Step {

    /** Whether this step runs in this attempt; asked once, when the step before it passed. */
    default boolean applies(Context ctx) {
        return true;
    }

    /** Starts the step: sends its first command, or decides at once. */
    void begin(Context ctx);

    /** A reply to a command this step sent. */
    void onReply(Context ctx, SmtpReply reply);

    /** The TLS session this step asked for is established; only a step that calls {@link Context#startTls} gets it. */
    default void onTlsEstablished(Context ctx) {
        throw new IllegalStateException("TLS established during " + getClass().getSimpleName());
    }

    /** How many characters of the next reply to this step are kept ({@link Texts#cut}). */
    default int replyLimit(Context ctx) {
        return Texts.MAX_REPLY;
    }

    /** This step's part of an OK attempt's detail (e.g. {@code "EHLO 250"}), or {@code null} for none. */
    default String summary(Context ctx) {
        return null;
    }

    /**
     * What a step may see and do: the attempt's plan and evidence, the link (through {@link #send},
     * {@link #expectReply} and {@link #startTls}, with timeouts capped at the probe's deadline), and the moves
     * between steps.
     */
    interface Context {

        AttemptPlan plan();

        /** The attempt's evidence: transcript, timings, replies kept, the decision. */
        EvidenceRecorder evidence();

        /** The credentials to authenticate with, or {@code null} when the probe has none. */
        Credentials credentials();

        /** The TLS session's facts, or {@code null} before TLS. */
        TlsInfo tls();

        /** Whether the session is encrypted now. */
        boolean tlsActive();

        /** What the dialogue waits for now (failures and closes are described by it). */
        Conversation.State state();

        void state(Conversation.State state);

        /** Starts timing {@code phase} and tells the listener. */
        void startPhase(Phase phase);

        /** Ends the phase being timed, if any, and tells the listener. */
        void endPhase();

        /** Waits for a reply the server sends unasked (the greeting). */
        void expectReply(Duration timeout);

        /** Sends {@code line} and waits for its reply; the transcript shows {@code shown} instead (a secret). */
        void send(String line, String shown, Duration timeout);

        default void send(String line, Duration timeout) {
            send(line, line, timeout);
        }

        /** Upgrades the connection to TLS; the step is told by {@link Step#onTlsEstablished}. */
        void startTls(TlsParameters parameters);

        /** The AUTH mechanism in use, for what a failure says. */
        void authMechanism(AuthMechanism mechanism);

        /** Decides the attempt's verdict, unless one was decided before (the first decision wins). */
        void decide(Verdict verdict, String detail);

        /** This step is done and passed: the next step that applies begins. */
        void pass();

        /** Says goodbye (the last step); the verdict is decided, or every step passed. */
        void quit();

        /** Closes the connection without another word. */
        void close();

        /** The detail of an OK attempt: every step's {@link Step#summary}. */
        String okDetail();

        default void note(String text) {
            evidence().note(text);
        }

        /** Decides and says goodbye. */
        default void stop(Verdict verdict, String detail) {
            decide(verdict, detail);
            quit();
        }

        /** The server refused the session at {@code at} with a 4xx or 5xx {@code reply}: a rejection, by policy. */
        default void reject(Phase at, SmtpReply reply) {
            PolicyReason reason = evidence().knownReason(reply, Policies.reasonFor(reply));
            evidence().policyReason(reason);
            evidence().decidedAt(at);
            stop(reply.isTransientFailure() ? Verdict.SMTP_TRANSIENT_REJECTION : Verdict.SMTP_PERMANENT_REJECTION,
                    Policies.describe(at, reply, reason));
        }
    }
}
