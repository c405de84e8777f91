package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.List;

/**
 * A suggestion derived from facts: what the situation looks like and what to try, with the evidence it rests on.
 * Hints never present a guess as a fact.
 *
 * @param code     what kind of hint this is
 * @param message  one or two sentences for a person
 * @param evidence the facts the hint rests on, e.g. {@code "/.dockerenv exists"}
 *                 (message and evidence are printable: control characters escaped, {@link PrintableText#escape})
 */
public record Hint(HintCode code, String message, List<String> evidence) {

    /**
     * Checks and copies the components.
     *
     * @param code what kind of hint this is
     * @param message one or two sentences for a person
     * @param evidence the facts the hint rests on, e.g. {@code "/.dockerenv exists"} (message and evidence are
     *     printable: control characters escaped, {@link PrintableText#escape})
     */
    public Hint {
        Arguments.requireNonNull(code, "code");
        message = PrintableText.escape(Arguments.requireNonNull(message, "message"));
        evidence = List.copyOf(Arguments.requireNonNull(evidence, "evidence").stream().map(PrintableText::escape).toList());
    }

    @Override
    public String toString() {
        return code + ": " + message + (evidence.isEmpty() ? "" : " " + evidence);
    }
}
