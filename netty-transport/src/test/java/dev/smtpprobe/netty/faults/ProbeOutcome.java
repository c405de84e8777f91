package dev.smtpprobe.netty.faults;

import java.util.LinkedHashMap;
import java.util.Map;

/** The fields of the {@code RESULT} line a {@link ProbeMain} child printed. */
public record ProbeOutcome(Map<String, String> fields, String output) {

    /** Finds the {@code RESULT} line in a child's output. */
    public static ProbeOutcome parse(String output) {
        for (String line : output.split("\n")) {
            if (line.startsWith("RESULT ")) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String pair : line.substring("RESULT ".length()).split("\t")) {
                    int eq = pair.indexOf('=');
                    fields.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
                return new ProbeOutcome(Map.copyOf(fields), output);
            }
        }
        throw new AssertionError("no RESULT line in the child's output:\n" + output);
    }

    /** A field, or fails naming the output when it is missing. */
    public String get(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new AssertionError("no '" + key + "' in the child's output:\n" + output);
        }
        return v;
    }

    /** A numeric field. */
    public long number(String key) {
        return Long.parseLong(get(key));
    }
}
