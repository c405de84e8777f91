package dev.smtpprobe.spring.boot;

import java.util.Objects;

/**
 * Under {@code smtp-probe.preflight=fail}, the configuration names no mail server that can be probed (a host
 * property that is not a host name): the startup stops, and {@link SmtpProbeConfigurationFailureAnalyzer} prints
 * the property and its fix.
 */
public class SmtpProbeConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The offending property and its value, {@code key=value}. */
    private final String property;
    /** Why the configured value cannot be probed. */
    private final String why;
    /** What to set instead. */
    private final String fix;

    SmtpProbeConfigurationException(MailTargetProblem problem) {
        super("smtp-probe pre-flight failed: " + Objects.requireNonNull(problem, "problem").describe());
        this.property = problem.key() + "=" + problem.value();
        this.why = problem.why();
        this.fix = problem.fix();
    }

    /** {@return the property and its value, e.g. {@code spring.mail.host=mail example.com}} */
    public String property() {
        return property;
    }

    /** {@return why it cannot be probed} */
    public String why() {
        return why;
    }

    /** {@return what to set instead} */
    public String fix() {
        return fix;
    }
}
