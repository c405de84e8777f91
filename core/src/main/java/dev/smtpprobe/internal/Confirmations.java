package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Phase;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import java.time.Duration;
import java.util.List;

/**
 * The second attempts that turn a suspected cause into a confirmed one. An attempt's verdict is only what its own
 * dialogue saw; two outcomes have a likelier cause that one quick attempt in the other TLS mode proves:
 *
 * <ul>
 *   <li>no banner in plain text ({@link Verdict#GREETING_TIMEOUT}): the port may speak implicit TLS. A confirmation
 *       with implicit TLS that completes a handshake (a banner after it, or a certificate shown and judged invalid)
 *       makes the verdict {@link Verdict#TLS_MODE_MISMATCH};</li>
 *   <li>no AUTH in plain text from a server that offers STARTTLS ({@link Verdict#AUTH_UNAVAILABLE}): many servers
 *       advertise AUTH only over TLS. A confirmation that upgrades with STARTTLS and reads the EHLO again makes the
 *       verdict {@link Verdict#AUTH_REQUIRES_TLS} when AUTH appears there.</li>
 * </ul>
 *
 * A confirmation is evidence only: it sends no credentials and no envelope ({@link AttemptPlan#confirmation()}), it
 * follows its attempt in the result and never decides ({@link Decision}). A silent port's confirmation is bounded so
 * the verdict comes within about 1.25 times the greeting timeout: its whole attempt gets a quarter of that timeout
 * ({@link #MIN_BUDGET} at least), not a second full one.
 */
final class Confirmations {

    /** The least a silent port's confirmation gets: a TCP connect, a TLS handshake and a banner. */
    static final Duration MIN_BUDGET = Duration.ofMillis(500);
    /** The most an AUTH confirmation's greeting may take: the first attempt just had the banner. */
    static final Duration AUTH_GREETING = Duration.ofSeconds(3);

    private Confirmations() {
    }

    /**
     * The TLS mode of the confirmation {@code attempt} calls for, or {@code null} when it needs none (it decided a
     * cause of its own, or is a confirmation itself).
     */
    static TlsMode modeFor(AttemptPlan plan, Attempt attempt) {
        if (plan.confirmation() || !plan.probe().confirmTlsMode()) {
            return null;
        }
        if (attempt.verdict() == Verdict.GREETING_TIMEOUT && plan.tlsMode() != TlsMode.IMPLICIT) {
            return TlsMode.IMPLICIT;
        }
        if (attempt.verdict() == Verdict.AUTH_UNAVAILABLE && attempt.tls() == null && attempt.capabilities() != null
                && attempt.capabilities().startTls()
                && Sasl.offeredMechanisms(attempt.capabilities().extensions()).isEmpty()) {
            return TlsMode.STARTTLS_REQUIRED;
        }
        return null;
    }

    /** The confirmation's plan: in {@code mode}, bounded as the class says, numbered {@code index}. */
    static AttemptPlan plan(AttemptPlan plan, TlsMode mode, int index) {
        Duration greeting = plan.probe().greetingTimeout();
        if (mode == TlsMode.IMPLICIT) {
            Duration budget = budget(greeting);
            return plan.confirmationIn(mode, budget, plan.deadline().within(budget, "the confirmation's budget"), index);
        }
        return plan.confirmationIn(mode, greeting.compareTo(AUTH_GREETING) < 0 ? greeting : AUTH_GREETING,
                plan.deadline(), index);
    }

    /** A silent port's confirmation budget: a quarter of the greeting timeout, {@link #MIN_BUDGET} at least. */
    static Duration budget(Duration greetingTimeout) {
        Duration quarter = greetingTimeout.dividedBy(4);
        return quarter.compareTo(MIN_BUDGET) < 0 ? MIN_BUDGET : quarter;
    }

    /**
     * The first attempt as the confirmation shows it: relabelled with the confirmed cause and the evidence, or
     * {@code attempt} itself when the confirmation proved nothing.
     */
    static Attempt conclude(Attempt attempt, Attempt confirmation) {
        if (confirmation.tlsMode() == TlsMode.IMPLICIT) {
            return implicitTls(attempt, confirmation);
        }
        return authAfterStartTls(attempt, confirmation);
    }

    private static Attempt implicitTls(Attempt attempt, Attempt confirmation) {
        if (confirmation.tls() == null) {
            return attempt; // no handshake completed far enough to show a certificate: nothing proved
        }
        String silence = "no banner in plain text within "
                + attempt.timings().getOrDefault(Phase.GREETING, Duration.ZERO).toMillis() + " ms";
        String advice = "use implicit TLS (tls(IMPLICIT)) on this port, or STARTTLS on 587";
        if (confirmation.greeting() != null) {
            return relabel(attempt, Verdict.TLS_MODE_MISMATCH, "port " + attempt.remote().getPort()
                    + " speaks implicit TLS (SMTPS): " + silence + ", but a TLS handshake then a "
                    + confirmation.greeting().code() + " banner succeeded; " + advice);
        }
        if (confirmation.verdict() == Verdict.CERTIFICATE_INVALID) {
            return relabel(attempt, Verdict.TLS_MODE_MISMATCH, "port " + attempt.remote().getPort()
                    + " speaks implicit TLS (SMTPS): " + silence + ", but a TLS handshake showed the server's"
                    + " certificate; " + advice + ". Caveat: that certificate is not valid for this probe ("
                    + confirmation.detail() + "), so implicit TLS will fail with CERTIFICATE_INVALID until it is fixed"
                    + " or trusted");
        }
        return attempt;
    }

    private static Attempt authAfterStartTls(Attempt attempt, Attempt confirmation) {
        if (confirmation.tls() == null || confirmation.capabilities() == null) {
            return attempt;
        }
        List<String> after = Sasl.offeredMechanisms(confirmation.capabilities().extensions());
        if (after.isEmpty()) {
            return attempt;
        }
        String mechanisms = String.join(" ", after);
        String detail = "credentials were not sent: the server offers no AUTH in plain text, but after STARTTLS the"
                + " server offers AUTH " + mechanisms + " (a second connection upgraded with STARTTLS and read the"
                + " EHLO again, without credentials); use tls(STARTTLS) on this port, or implicit TLS on 465";
        AuthResult auth = new AuthResult(AuthResult.Status.REQUIRES_TLS, null, false, null, after, List.of());
        return attempt.toBuilder().verdict(Verdict.AUTH_REQUIRES_TLS).detail(detail).auth(auth).build();
    }

    private static Attempt relabel(Attempt a, Verdict verdict, String detail) {
        return a.toBuilder().verdict(verdict).detail(detail).build();
    }
}
