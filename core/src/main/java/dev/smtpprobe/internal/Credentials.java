package dev.smtpprobe.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A username with a password or an OAuth2 token, as configured on a probe. The secret is held as a private
 * {@code char[]} copy (or a supplier) and handed out only as a fresh array that the caller clears after use; it
 * never becomes a {@code String} here, and {@link #toString()} never shows it.
 *
 * <p>Immutable and threadsafe: a probe that runs many times asks for the secret once per authentication.
 */
public final class Credentials {

    /**
     * The longest username, in UTF-8 octets: the 255 every SASL PLAIN server must accept (RFC 4616 §2); a longer one
     * is a mistake, not a name a server would take.
     */
    public static final int MAX_USERNAME_OCTETS = 255;

    /** What the secret is. */
    public enum Kind {
        /** A password, for PLAIN or LOGIN. */
        PASSWORD,
        /** An OAuth2 bearer token, for XOAUTH2. */
        OAUTH2_TOKEN
    }

    private final Kind kind;
    private final String username;
    private final char[] stored;
    private final Supplier<char[]> supplier;

    private Credentials(Kind kind, String username, char[] stored, Supplier<char[]> supplier) {
        this.kind = kind;
        this.username = username;
        this.stored = stored;
        this.supplier = supplier;
    }

    /**
     * Credentials with a fixed secret; {@code secret} is copied, so the caller may clear its array at once.
     *
     * @param what the argument name used in error messages ("password" or "token")
     * @throws IllegalArgumentException naming the argument when the username (null, blank, with a control character
     *                                  or surrounding whitespace, or longer than {@value #MAX_USERNAME_OCTETS} octets)
     *                                  or the secret is unusable (the message never contains the secret)
     */
    public static Credentials of(Kind kind, String username, char[] secret, String what) {
        Objects.requireNonNull(kind, "kind");
        String user = validUsername(username);
        if (secret == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        checkSecret(kind, secret, what);
        return new Credentials(kind, user, secret.clone(), null);
    }

    /**
     * Credentials whose secret is asked from {@code supplier} each time the probe authenticates. Each call must
     * return a new array: the probe clears it once the credentials are encoded.
     *
     * @throws IllegalArgumentException naming the argument when the username is unusable or the supplier is null
     */
    public static Credentials supplied(Kind kind, String username, Supplier<char[]> supplier, String what) {
        Objects.requireNonNull(kind, "kind");
        String user = validUsername(username);
        if (supplier == null) {
            throw new IllegalArgumentException(what + " supplier must not be null");
        }
        return new Credentials(kind, user, null, supplier);
    }

    /** The kind of secret. */
    public Kind kind() {
        return kind;
    }

    /** The username (not a secret: it is shown in notes and results). */
    public String username() {
        return username;
    }

    /**
     * A fresh copy of the secret; the caller clears it after use.
     *
     * @throws IllegalStateException when the supplier throws, returns null, an empty array or a character the
     *                               mechanisms cannot carry (the message never contains the secret)
     */
    public char[] secret() {
        if (stored != null) {
            return stored.clone();
        }
        char[] value;
        try {
            value = supplier.get();
        } catch (RuntimeException e) {
            // The supplier's own exception could quote anything; keep only its type.
            throw new IllegalStateException("the " + noun() + " supplier threw " + e.getClass().getName());
        }
        if (value == null) {
            throw new IllegalStateException("the " + noun() + " supplier returned null");
        }
        try {
            checkSecret(kind, value, noun());
        } catch (IllegalArgumentException e) {
            Arrays.fill(value, '\0');
            throw new IllegalStateException("the " + noun() + " supplier returned an unusable value: " + e.getMessage());
        }
        return value;
    }

    private String noun() {
        return kind == Kind.PASSWORD ? "password" : "token";
    }

    private static String validUsername(String username) {
        Arguments.requireToken(username, "username");
        int octets = username.getBytes(StandardCharsets.UTF_8).length;
        Arguments.requireArgument(octets <= MAX_USERNAME_OCTETS, "username must be at most %d octets in UTF-8: %d",
                MAX_USERNAME_OCTETS, octets);
        return username;
    }

    /** PLAIN separates with NUL and XOAUTH2 with 0x01: a control character in the secret would corrupt the payload. */
    private static void checkSecret(Kind kind, char[] secret, String what) {
        if (secret.length == 0) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (char c : secret) {
            if (c == '\0' || (kind == Kind.OAUTH2_TOKEN && (c < 0x20 || c == 0x7f))) {
                throw new IllegalArgumentException(what + " must not contain control characters");
            }
        }
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "Credentials[" + kind + ", username=" + username + ", " + noun() + "=<redacted>]";
    }
}
