package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.List;

/**
 * Where the failures of several probes point, the field guide's "compare scope" step: when every recipient fails,
 * look at your own server or provider; when some fail while others work, look at those recipients' mail gateways.
 *
 * <p>The rule, over the results of a batch:
 * <ul>
 *   <li>{@link Scope#ALL_OK}: every target is OK.</li>
 *   <li>{@link Scope#RECIPIENT_SIDE}: some fail while others work, or every failure is a fact of the recipient's
 *       own DNS ({@link Verdict#DNS_NO_SUCH_DOMAIN}, {@link Verdict#DNS_NULL_MX},
 *       {@link Verdict#DNS_NO_MAIL_HOST}), which no sender-side fix changes.</li>
 *   <li>{@link Scope#SENDER_SIDE}: two or more targets, and every one fails, some on the path (DNS failure, TCP,
 *       TLS, SMTP): the common factor is this host, its network, resolver or provider.</li>
 *   <li>{@link Scope#UNDETERMINED}: a single target failed on the path: one target cannot tell your side from
 *       theirs; add unrelated domains.</li>
 * </ul>
 *
 * @param scope   the conclusion
 * @param failing the targets that failed, each with its verdict ({@code "example.net: CONNECTION_TIMED_OUT"})
 * @param working the targets that are OK
 * @param message one or two sentences for a person
 */
public record ScopeSummary(Scope scope, List<String> failing, List<String> working, String message) {

    /** Where failures point. */
    public enum Scope {
        /** Every target works. */
        ALL_OK,
        /** Every target fails: your side (host, network, resolver, egress) or your provider. */
        SENDER_SIDE,
        /** Only some targets fail: those recipients' mail gateways or the path to them. */
        RECIPIENT_SIDE,
        /** One failing target alone cannot tell. */
        UNDETERMINED
    }

    /**
     * Checks and copies the components.
     *
     * @param scope the conclusion
     * @param failing the targets that failed, each with its verdict ({@code "example.net: CONNECTION_TIMED_OUT"})
     * @param working the targets that are OK
     * @param message one or two sentences for a person
     */
    public ScopeSummary {
        Arguments.requireNonNull(scope, "scope");
        failing = List.copyOf(Arguments.requireNonNull(failing, "failing"));
        working = List.copyOf(Arguments.requireNonNull(working, "working"));
        Arguments.requireNonNull(message, "message");
    }

    /** {@return the summary as a {@link HintCode#SCOPE} hint, with the failing and working targets as evidence} */
    public Hint hint() {
        List<String> evidence = new java.util.ArrayList<>();
        failing.forEach(f -> evidence.add("fails: " + f));
        working.forEach(w -> evidence.add("works: " + w));
        return new Hint(HintCode.SCOPE, message, evidence);
    }

    @Override
    public String toString() {
        return scope + ": " + message;
    }
}
