package dev.smtpprobe.internal.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An MTA-STS policy (RFC 8461 §3.2) as fetched from the policy host: its mode, the MX patterns it allows and how
 * long a sender caches it. Immutable.
 *
 * @param mode       what a sender does when an MX does not satisfy the policy
 * @param mxPatterns the {@code mx} patterns, lower case, without a trailing dot; empty only in mode {@code none}
 * @param maxAge     how long a sender may cache the policy (at most 31557600 seconds)
 */
public record MtaStsPolicy(Mode mode, List<String> mxPatterns, Duration maxAge) {

    /** RFC 8461 §3.2: the largest {@code max_age}, about one year. */
    public static final long MAX_AGE_LIMIT_SECONDS = 31_557_600L;

    /** The policy modes of RFC 8461 §5. */
    public enum Mode {
        /** A sender refuses delivery to an MX that fails the policy. */
        ENFORCE,
        /** A sender delivers anyway and reports the failure (TLS-RPT). */
        TESTING,
        /** The domain has withdrawn its policy. */
        NONE
    }

    /** Thrown by {@link #parse(String)}: the text is not a valid policy. The message says why. */
    public static final class InvalidPolicyException extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidPolicyException(String message) {
            super(message);
        }
    }

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,10}");

    public MtaStsPolicy {
        Objects.requireNonNull(mode, "mode");
        mxPatterns = List.copyOf(mxPatterns);
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /**
     * Whether an MX host satisfies one of the policy's patterns (RFC 8461 §4.1): a pattern matches the host name
     * exactly, or, written {@code *.suffix}, matches a host of exactly one more label than the suffix. Case and a
     * trailing dot are ignored. Whether the host's certificate is valid is a separate check.
     *
     * @param host an MX host name
     * @return true when a pattern matches the host
     * @throws IllegalArgumentException when {@code host} is null or blank
     */
    public boolean allowsMx(String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        String h = normalise(host);
        for (String pattern : mxPatterns) {
            if (pattern.startsWith("*.")) {
                String suffix = pattern.substring(1); // ".example.com"
                if (h.endsWith(suffix)) {
                    String first = h.substring(0, h.length() - suffix.length());
                    if (!first.isEmpty() && first.indexOf('.') < 0) {
                        return true;
                    }
                }
            } else if (h.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses a policy body (RFC 8461 §3.2): {@code key: value} lines ended by CRLF (a bare LF is accepted);
     * {@code version: STSv1}, {@code mode} and {@code max_age} are required, {@code mx} at least once unless the
     * mode is {@code none}. Unknown keys are ignored; of a repeated key other than {@code mx} the first counts.
     *
     * @param body the policy text
     * @return the policy
     * @throws InvalidPolicyException when the text is not a valid policy
     */
    public static MtaStsPolicy parse(String body) throws InvalidPolicyException {
        Objects.requireNonNull(body, "body");
        String version = null;
        String mode = null;
        String maxAge = null;
        List<String> mx = new ArrayList<>();
        for (String line : body.split("\r?\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new InvalidPolicyException("a line is not key: value");
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "version" -> version = version == null ? value : version;
                case "mode" -> mode = mode == null ? value : mode;
                case "max_age" -> maxAge = maxAge == null ? value : maxAge;
                case "mx" -> mx.add(pattern(value));
                default -> { } // RFC 8461 §3.2: unknown fields are ignored
            }
        }
        if (!"STSv1".equals(version)) {
            throw new InvalidPolicyException(version == null ? "no version field" : "version is not STSv1");
        }
        Mode m = switch (mode == null ? "" : mode) {
            case "enforce" -> Mode.ENFORCE;
            case "testing" -> Mode.TESTING;
            case "none" -> Mode.NONE;
            default -> throw new InvalidPolicyException(mode == null ? "no mode field"
                    : "mode is not enforce, testing or none");
        };
        if (maxAge == null || !DIGITS.matcher(maxAge).matches()) {
            throw new InvalidPolicyException(maxAge == null ? "no max_age field" : "max_age is not a number");
        }
        long seconds = Long.parseLong(maxAge);
        if (seconds > MAX_AGE_LIMIT_SECONDS) {
            throw new InvalidPolicyException("max_age is over " + MAX_AGE_LIMIT_SECONDS);
        }
        if (mx.isEmpty() && m != Mode.NONE) {
            throw new InvalidPolicyException("no mx field");
        }
        return new MtaStsPolicy(m, mx, Duration.ofSeconds(seconds));
    }

    private static String pattern(String value) throws InvalidPolicyException {
        String p = normalise(value);
        String name = p.startsWith("*.") ? p.substring(2) : p;
        if (name.isEmpty() || name.length() > 253) {
            throw new InvalidPolicyException("an mx pattern is not a host name");
        }
        for (String label : name.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidPolicyException("an mx pattern is not a host name");
            }
        }
        return p;
    }

    private static String normalise(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
