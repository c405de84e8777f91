package dev.smtpprobe.examples.cli;

import dev.smtpprobe.ConfigFinding;
import java.util.List;

/**
 * The configuration findings of {@code --mail-properties} and {@code --spring-config} (a result's
 * {@link dev.smtpprobe.ProbeResult#configFindings()}), printed for a person before the probe's result: a
 * configuration mistake explains a failure better than any packet, and must not scroll away under it.
 */
final class FindingsFormat {

    private FindingsFormat() {
    }

    /** The findings as text for a person, one block each; a line saying there are none when the list is empty. */
    static String human(List<ConfigFinding> findings, String source, Style style) {
        StringBuilder out = new StringBuilder();
        if (findings.isEmpty()) {
            return out.append("Configuration  ").append(source).append(": no findings").append("\n")
                    .append("\n").toString();
        }
        out.append(style.strong("Configuration  " + source + ": " + findings.size()
                + (findings.size() == 1 ? " finding" : " findings"))).append("\n");
        for (ConfigFinding f : findings) {
            out.append("  ! ").append(f.code()).append("  ").append(f.key())
                    .append(f.value().isEmpty() ? "" : "=" + f.value()).append("\n")
                    .append("      ").append(f.why()).append("\n")
                    .append("      Fix: ").append(f.fix()).append("\n");
        }
        return out.append("\n").toString();
    }
}
