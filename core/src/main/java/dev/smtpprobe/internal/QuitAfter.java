package dev.smtpprobe.internal;

import dev.smtpprobe.Phase;

/**
 * {@code SmtpProbe.Builder#quitAfter}: the dialogue stops, politely with QUIT, once the named phase is done, and
 * the attempt is OK when every step up to there passed. A step of a later phase is never begun; a step that does
 * not apply (STARTTLS without TLS, AUTH without credentials) is skipped as usual, so {@code quitAfter(AUTH)}
 * without credentials ends after EHLO or STARTTLS.
 */
final class QuitAfter {

    private QuitAfter() {
    }

    /** Whether {@code step} is past {@code quitAfter} ({@code null}: the whole dialogue), so must not begin. */
    static boolean skips(Step step, Phase quitAfter) {
        Phase phase = phaseOf(step);
        return quitAfter != null && phase != null && phase.compareTo(quitAfter) > 0;
    }

    /** The phase a step of the dialogue runs in; {@code null} for QUIT, which always runs. */
    static Phase phaseOf(Step step) {
        if (step instanceof GreetingStep) {
            return Phase.GREETING;
        } else if (step instanceof EhloStep) {
            return Phase.EHLO;
        } else if (step instanceof StartTlsStep) {
            return Phase.STARTTLS;
        } else if (step instanceof AuthStep) {
            return Phase.AUTH;
        } else if (step instanceof EnvelopeStep) {
            return Phase.ENVELOPE;
        }
        return null;
    }
}
