package dev.smtpprobe.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup stopped by {@code smtp-probe.preflight=fail} before any probe: the property that names no
 * mail server that can be probed as the description, its fix as the action.
 */
public class SmtpProbeConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<SmtpProbeConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SmtpProbeConfigurationException cause) {
        String description = "The mail server this application is configured for cannot be probed: "
                + cause.property() + "\n\n" + cause.why();
        String action = cause.fix() + "\n\nTo start anyway and report the problem in the health endpoint instead, "
                + "set smtp-probe.preflight=warn.";
        return new FailureAnalysis(description, action, cause);
    }
}
