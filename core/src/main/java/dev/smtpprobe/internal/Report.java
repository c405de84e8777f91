package dev.smtpprobe.internal;

import dev.smtpprobe.ProbeResult;

/** Renders the escalation report of a result. */
public final class Report {

    private Report() {
    }

    public static String render(ProbeResult result) {
        StringBuilder sb = new StringBuilder();
        sb.append("SMTP probe report: ").append(result.summary()).append('\n');
        result.transcript().forEach(line -> sb.append("  ").append(line).append('\n'));
        return sb.toString();
    }
}
