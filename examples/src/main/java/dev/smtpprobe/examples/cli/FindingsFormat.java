package dev.smtpprobe.examples.cli;

import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.ProbeResult;
import java.util.List;

/**
 * The configuration findings of {@code --mail-properties} and {@code --spring-config}, printed before the probe's
 * result: a configuration mistake explains a failure better than any packet, and must not scroll away under it.
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

    /** The result as JSON with the findings first, under {@code configFindings}; the result's fields follow. */
    static String json(List<ConfigFinding> findings, ProbeResult result) {
        com.fasterxml.jackson.databind.node.ObjectNode node = Json.mapper().createObjectNode();
        node.set("configFindings", Json.mapper().valueToTree(findings));
        node.setAll((com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().valueToTree(result));
        return Json.write(node);
    }
}
