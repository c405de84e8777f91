package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.time.Duration;
import java.util.List;

/**
 * The results of a {@link ProbeBatch}, in the order the probes were given, and what they say together.
 *
 * <pre>{@code
 * BatchResult batch = SmtpProbe.batch(probes).run();
 * if (batch.scope().scope() == ScopeSummary.Scope.SENDER_SIDE) {
 *     System.err.println(batch.scope().message()); // all fail: your side or your provider
 * }
 * }</pre>
 *
 * @param results one result per probe, in the order given
 * @param scope   where the failures point
 * @param elapsed how long the whole batch took
 */
public record BatchResult(List<ProbeResult> results, ScopeSummary scope, Duration elapsed) {

    /**
     * Checks and copies the components.
     *
     * @param results one result per probe, in the order given
     * @param scope where the failures point
     * @param elapsed how long the whole batch took
     */
    public BatchResult {
        results = List.copyOf(Arguments.requireNonNull(results, "results"));
        Arguments.requireNonNull(scope, "scope");
        Arguments.requireNonNull(elapsed, "elapsed");
    }

    /** {@return whether every probe is OK} */
    public boolean allOk() {
        return results.stream().allMatch(ProbeResult::isOk);
    }

    /** {@return the results that are not OK, in order} */
    public List<ProbeResult> failures() {
        return results.stream().filter(r -> !r.isOk()).toList();
    }

    /** {@return one line per target, then the scope} */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        results.forEach(r -> sb.append(r.summary()).append('\n'));
        return sb.append(scope.message()).toString();
    }
}
