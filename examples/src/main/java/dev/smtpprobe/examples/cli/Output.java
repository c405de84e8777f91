package dev.smtpprobe.examples.cli;

/** What the command prints: chosen by {@code --json}, {@code --report} and {@code --transcript}. */
enum Output {
    /** The verdict line, the evidence and the next action. */
    HUMAN,
    /** {@link #HUMAN} followed by the redacted transcript. */
    HUMAN_WITH_TRANSCRIPT,
    /** The escalation report of {@code ProbeResult.report()}. */
    REPORT,
    /** The whole result as JSON. */
    JSON
}
