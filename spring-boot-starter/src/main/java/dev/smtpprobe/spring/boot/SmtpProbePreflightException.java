package dev.smtpprobe.spring.boot;

import dev.smtpprobe.ProbeResult;
import java.util.Objects;

/**
 * The pre-flight probe at startup failed under {@code smtp-probe.preflight=fail}: the application's startup stops,
 * and {@link SmtpProbePreflightFailureAnalyzer} prints the report and the next action.
 */
public class SmtpProbePreflightException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The failed result; not serialised (a result is not serialisable). */
    private final transient ProbeResult result;

    /**
     * The pre-flight probe ended with {@code result}, which is not {@code OK}.
     *
     * @param result the failed pre-flight result, whose report the failure analysis prints
     */
    public SmtpProbePreflightException(ProbeResult result) {
        super("smtp-probe pre-flight failed: " + Objects.requireNonNull(result, "result").summary());
        this.result = result;
    }

    /** {@return the failed result} */
    public ProbeResult result() {
        return result;
    }
}
