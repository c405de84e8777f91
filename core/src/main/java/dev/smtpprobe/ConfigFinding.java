package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;

/**
 * A mistake or a risk in an application's mail configuration, found by reading it rather than by probing: a
 * misspelt key, a missing timeout, a port that does not match the TLS mode. {@link SmtpProbe#fromMailProperties}
 * makes them; {@link SmtpProbe#configFindings()} lists them.
 *
 * <pre>{@code
 * SmtpProbe probe = SmtpProbe.fromMailProperties(properties).build();
 * probe.configFindings().forEach(f -> System.out.println(f.code() + " " + f.key() + ": " + f.why()));
 * }</pre>
 *
 * @param code  what kind of finding it is
 * @param key   the property it is about, e.g. {@code mail.smtp.connectiontimeout}
 * @param value the property's value as configured, secrets masked; empty when the key is not set
 * @param why   why it matters, in one or two sentences
 * @param fix   what to change
 */
public record ConfigFinding(Code code, String key, String value, String why, String fix) {

    /** What kind of finding. */
    public enum Code {
        /** A key the mail library does not read: misspelt, or not a Jakarta Mail key at all. */
        UNKNOWN_KEY,
        /** A key under the prefix of the protocol not in use ({@code mail.smtps.*} while sending with smtp). */
        KEY_IGNORED,
        /** A value the library cannot use: not a number, surrounding whitespace, an unknown protocol. */
        INVALID_VALUE,
        /** A timeout that is not set or not positive: Jakarta Mail then waits forever. */
        TIMEOUT_MISSING,
        /** The port and the TLS mode disagree: implicit TLS on 587 or 25, plain text or STARTTLS on 465. */
        PORT_TLS_MISMATCH,
        /** The host holds a scheme, a port or whitespace. */
        HOST_MALFORMED,
        /** No host is configured: the library sends to localhost:25. */
        NO_HOST,
        /** The host is this machine's loopback while the application runs in a container. */
        LOOPBACK_IN_CONTAINER,
        /** {@code auth=true} without a user: the library never authenticates. */
        AUTH_WITHOUT_USER,
        /** {@code starttls.required} without {@code starttls.enable}. */
        STARTTLS_REQUIRED_WITHOUT_ENABLE,
        /** No TLS at all: mail and any credentials travel in plain text. */
        NO_TLS,
        /** {@code ssl.trust} trusts the server whatever certificate it shows. */
        TRUST_ALL,
        /** {@code ssl.checkserveridentity=false}: a certificate for another host is accepted. */
        SERVER_IDENTITY_NOT_CHECKED,
        /**
         * Seen during a run: the server's certificate would fail validation, and only the configured trust accepts
         * it.
         */
        CERTIFICATE_ACCEPTED_BY_TRUST,
        /** The application's library would behave differently from the probe here; the finding says how. */
        LIBRARY_DIFFERS
    }

    /**
     * Checks the components.
     *
     * @param code what kind of finding it is
     * @param key the property it is about, e.g. {@code mail.smtp.connectiontimeout}
     * @param value the property's value as configured, secrets masked; empty when the key is not set
     * @param why why it matters, in one or two sentences
     * @param fix what to change
     * @throws IllegalArgumentException naming an argument that is null
     */
    public ConfigFinding {
        Arguments.requireNonNull(code, "code");
        Arguments.requireNonNull(key, "key");
        Arguments.requireNonNull(value, "value");
        Arguments.requireNonNull(why, "why");
        Arguments.requireNonNull(fix, "fix");
    }

    /** One line: code, key, value, why and fix. */
    @Override
    public String toString() {
        return code + " " + key + (value.isEmpty() ? "" : "=" + value) + ": " + why + " Fix: " + fix;
    }
}
