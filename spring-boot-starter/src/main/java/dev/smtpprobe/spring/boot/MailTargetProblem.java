package dev.smtpprobe.spring.boot;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why the configured mail server cannot be probed at all: the property that names it holds no usable host name
 * even after its scheme, port and whitespace are removed, so the application's mail sender cannot connect either.
 * Shaped as a configuration finding: the property, its value (any user information before an {@code @} masked),
 * why it fails and the fix.
 */
record MailTargetProblem(String key, String value, String why, String fix) {

    static final String CODE = "HOST_UNUSABLE";

    /**
     * The problem of the host property that {@code SpringMailMapping} read: {@code smtp-probe.target.host} when set,
     * else {@code spring.mail.host}. The exception's message is not kept: it may quote user information.
     */
    static MailTargetProblem ofHost(String key, String configured) {
        String value = masked(configured == null ? "" : configured);
        String portKey = key.startsWith("smtp-probe.") ? "smtp-probe.target.port" : "spring.mail.port";
        return new MailTargetProblem(key, value,
                "Not a host name, even without a scheme, a port and whitespace: the mail sender cannot connect to "
                        + "it, and smtp-probe cannot probe it.",
                "Set " + key + " to the bare name or address of the mail server (for example smtp.example.com), "
                        + "and the port in " + portKey + ".");
    }

    /** One line for a log or an exception: {@code key=value: why Fix: fix}. */
    String describe() {
        return key + "=" + value + ": " + why + " Fix: " + fix;
    }

    /** The health detail, with the keys of a configuration finding's. */
    Map<String, Object> asFinding() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", CODE);
        m.put("key", key);
        m.put("value", value);
        m.put("why", why);
        m.put("fix", fix);
        return m;
    }

    /** {@code user:secret@host} shows as {@code ***@host}: a URL-shaped host may carry a password. */
    private static String masked(String configured) {
        int at = configured.lastIndexOf('@');
        return at < 0 ? configured : "***" + configured.substring(at);
    }
}
