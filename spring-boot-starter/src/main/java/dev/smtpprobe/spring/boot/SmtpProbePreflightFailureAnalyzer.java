package dev.smtpprobe.spring.boot;

import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.Hint;
import dev.smtpprobe.ProbeResult;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup stopped by {@code smtp-probe.preflight=fail}: the probe's report as the description, the
 * configuration findings' fixes, the verdict's next action and the hints as the action.
 */
public class SmtpProbePreflightFailureAnalyzer extends AbstractFailureAnalyzer<SmtpProbePreflightException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SmtpProbePreflightException cause) {
        ProbeResult result = cause.result();
        String description = "The mail server this application is configured for (spring.mail.*) failed the "
                + "pre-flight probe: " + result.verdict() + " at the " + result.layer() + " layer.\n\n"
                + result.report();
        StringBuilder action = new StringBuilder();
        // The configuration's own mistakes first: they often are the cause, and the fix is in the application.
        for (ConfigFinding finding : result.configFindings()) {
            action.append("- ").append(finding.key()).append(": ").append(finding.fix()).append('\n');
        }
        action.append(result.verdict().nextAction());
        for (Hint hint : result.hints()) {
            action.append("\n- ").append(hint.message());
        }
        action.append("\n\nTo start anyway and report the problem in the health endpoint instead, set "
                + "smtp-probe.preflight=warn.");
        return new FailureAnalysis(description, action.toString(), cause);
    }
}
