package dev.smtpprobe.internal;

import dev.smtpprobe.AuthMechanism;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The client side of the SASL mechanisms the probe speaks over SMTP AUTH (RFC 4954): PLAIN (RFC 4616), LOGIN and
 * XOAUTH2. Plain code over strings and bytes, no I/O.
 *
 * <p>Secrets arrive as {@code char[]}, are encoded to bytes and base64 in arrays that are zeroed right after use;
 * the only {@code String} holding an encoded secret is the line handed to the transport. Every line comes with the
 * text the transcript shows instead ({@code AUTH PLAIN <redacted>}).
 */
final class Sasl {

    /** Mechanisms usable with a password, best first. */
    static final List<AuthMechanism> FOR_PASSWORD = List.of(AuthMechanism.PLAIN, AuthMechanism.LOGIN);
    /** Mechanisms usable with an OAuth2 token, best first. */
    static final List<AuthMechanism> FOR_TOKEN = List.of(AuthMechanism.XOAUTH2);
    /** Decoded challenges are shown up to this many characters. */
    static final int MAX_CHALLENGE_SHOWN = 200;

    private Sasl() {
    }

    /** One line for the server, and what the transcript shows in its place. */
    public record Step(String line, String shown) {
        @Override
        public String toString() {
            return shown;
        }
    }

    /**
     * The mechanism to use: the forced one when the server offers it, otherwise the best one the server offers
     * for this kind of secret; empty when there is none in common.
     */
    public static Optional<AuthMechanism> choose(Credentials.Kind kind, AuthMechanism forced, List<String> offered) {
        List<AuthMechanism> candidates = forced != null ? List.of(forced) : usableWith(kind);
        for (AuthMechanism m : candidates) {
            if (offered.contains(m.saslName())) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The mechanisms the probe can use with this kind of secret, best first. */
    public static List<AuthMechanism> usableWith(Credentials.Kind kind) {
        return kind == Credentials.Kind.PASSWORD ? FOR_PASSWORD : FOR_TOKEN;
    }

    /**
     * The SASL mechanisms of every AUTH line of an EHLO reply, upper case and without duplicates. Old servers
     * advertise {@code AUTH=LOGIN} next to {@code AUTH LOGIN PLAIN}; both count.
     */
    public static List<String> offeredMechanisms(List<String> extensions) {
        List<String> out = new ArrayList<>();
        for (String line : extensions) {
            String[] words = line.trim().split("[ =]+");
            if (words.length > 0 && words[0].equalsIgnoreCase("AUTH")) {
                for (int i = 1; i < words.length; i++) {
                    String m = words[i].toUpperCase(Locale.ROOT);
                    if (!m.isEmpty() && !out.contains(m)) {
                        out.add(m);
                    }
                }
            }
        }
        return out;
    }

    /**
     * A client for one exchange. It takes ownership of {@code secret} (clears it once encoded) and registers every
     * form of the secret with {@code redaction}.
     */
    public static Client client(AuthMechanism mechanism, String username, char[] secret, Redaction redaction) {
        return new Client(mechanism, username, secret, redaction);
    }

    /** Decodes a 334 challenge for the transcript: printable text, bounded; {@code null} when it is not base64. */
    public static String decodeChallenge(String challenge) {
        return decodeChallenge(challenge, null);
    }

    /**
     * As {@link #decodeChallenge(String)}, scrubbed by {@code redaction} (when not null) before it is bounded and
     * its control characters replaced, so that neither can cut a secret into pieces the scrubber no longer knows.
     */
    public static String decodeChallenge(String challenge, Redaction redaction) {
        if (challenge == null) {
            return null;
        }
        String text = challenge.trim();
        if (text.isEmpty()) {
            return "";
        }
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        if (redaction != null) {
            decoded = redaction.scrub(decoded);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < decoded.length() && sb.length() < MAX_CHALLENGE_SHOWN; i++) {
            char c = decoded.charAt(i);
            sb.append(c >= 0x20 && c != 0x7f ? c : '.');
        }
        return decoded.length() > MAX_CHALLENGE_SHOWN ? sb + "..." : sb.toString();
    }

    /** The UTF-8 bytes of {@code chars}, without a {@code String}; the caller zeroes the result. */
    static byte[] utf8(char[] chars) {
        ByteBuffer buffer;
        try {
            buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .encode(CharBuffer.wrap(chars));
        } catch (CharacterCodingException e) {
            // REPLACE never throws; keep the compiler satisfied without quoting anything.
            throw new IllegalStateException("UTF-8 encoding failed", e);
        }
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        return out;
    }

    /** Base64 (RFC 4648, with padding) of {@code bytes} as characters; the caller zeroes the result. */
    static char[] base64(byte[] bytes) {
        byte[] encoded = java.util.Base64.getEncoder().encode(bytes);
        char[] out = new char[encoded.length];
        for (int i = 0; i < encoded.length; i++) {
            out[i] = (char) encoded[i];
        }
        Arrays.fill(encoded, (byte) 0);
        return out;
    }

    /** A command prefix followed by base64 characters, zeroing the characters. */
    private static String line(String prefix, char[] base64) {
        try {
            return new StringBuilder(prefix.length() + base64.length).append(prefix).append(base64).toString();
        } finally {
            Arrays.fill(base64, '\0');
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /**
     * The client side of one AUTH exchange: {@link #start()} gives the AUTH command, {@link #onChallenge} answers
     * each 334. Not threadsafe: it belongs to one conversation.
     */
    public static final class Client {
        private final AuthMechanism mechanism;
        private final String username;
        private final Redaction redaction;
        private char[] secret;
        private String initial;
        private int challenges;
        private boolean credentialsSent;

        private Client(AuthMechanism mechanism, String username, char[] secret, Redaction redaction) {
            this.mechanism = mechanism;
            this.username = username;
            this.redaction = redaction;
            this.secret = secret;
            redaction.addSecret(secret);
            if (mechanism != AuthMechanism.LOGIN) {
                // PLAIN and XOAUTH2 send everything at once: encode now and let go of the secret.
                initial = initialResponse();
                wipe();
            }
        }

        /** The mechanism of this exchange. */
        public AuthMechanism mechanism() {
            return mechanism;
        }

        /** Whether a username or secret has been handed out for sending. */
        public boolean credentialsSent() {
            return credentialsSent;
        }

        /** The AUTH command. */
        public Step start() {
            if (mechanism == AuthMechanism.LOGIN) {
                return new Step("AUTH LOGIN", "AUTH LOGIN");
            }
            String line = initial;
            initial = null;
            credentialsSent = true;
            return new Step(line, "AUTH " + mechanism.saslName() + " " + Redaction.REDACTED);
        }

        /**
         * The answer to a 334 challenge; empty when the mechanism expects no (further) challenge, in which case the
         * caller cancels the exchange with {@link #cancel()}.
         */
        public Optional<Step> onChallenge(String challenge) {
            challenges++;
            switch (mechanism) {
                case LOGIN -> {
                    if (challenges == 1) {
                        credentialsSent = true;
                        return Optional.of(new Step(line("", base64(username.getBytes(StandardCharsets.UTF_8))),
                                Redaction.REDACTED));
                    }
                    if (challenges == 2 && secret != null) {
                        byte[] utf8 = utf8(secret);
                        wipe();
                        try {
                            return Optional.of(new Step(line("", base64(utf8)), Redaction.REDACTED));
                        } finally {
                            Arrays.fill(utf8, (byte) 0);
                        }
                    }
                    return Optional.empty();
                }
                case XOAUTH2 -> {
                    // A 334 after the XOAUTH2 response carries the error (JSON); the client answers with an empty
                    // line and the server then sends its final 5xx.
                    return challenges == 1 ? Optional.of(new Step("", "")) : Optional.empty();
                }
                default -> {
                    return Optional.empty();
                }
            }
        }

        /** The line that cancels an exchange (RFC 4954 §4). */
        public static Step cancel() {
            return new Step("*", "*");
        }

        /** Zeroes whatever secret is still held. Idempotent. */
        public void dispose() {
            wipe();
            initial = null;
        }

        private String initialResponse() {
            byte[] user = username.getBytes(StandardCharsets.UTF_8);
            byte[] pass = utf8(secret);
            byte[] payload = mechanism == AuthMechanism.PLAIN
                    // RFC 4616: [authzid] NUL authcid NUL passwd; the authorization identity is left empty.
                    ? concat(new byte[] {0}, user, new byte[] {0}, pass)
                    : concat("user=".getBytes(StandardCharsets.US_ASCII), user,
                            "\u0001auth=Bearer ".getBytes(StandardCharsets.US_ASCII), pass,
                            new byte[] {1, 1});
            try {
                redaction.addBase64Of(payload);
                return line("AUTH " + mechanism.saslName() + " ", base64(payload));
            } finally {
                Arrays.fill(pass, (byte) 0);
                Arrays.fill(payload, (byte) 0);
            }
        }

        private void wipe() {
            if (secret != null) {
                Arrays.fill(secret, '\0');
                secret = null;
            }
        }

        /** Never shows a secret. */
        @Override
        public String toString() {
            return "Sasl.Client[" + mechanism + ", username=" + username + "]";
        }
    }
}
