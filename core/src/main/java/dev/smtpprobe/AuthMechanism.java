package dev.smtpprobe;

/**
 * The SASL mechanisms the probe can authenticate with (RFC 4954). With a password the probe prefers
 * {@link #PLAIN} over {@link #LOGIN}; with an OAuth2 token it uses {@link #XOAUTH2}. A caller may force one with
 * {@link SmtpProbe.Builder#authMechanism(AuthMechanism)}.
 *
 * <pre>{@code
 * SmtpProbe.to("smtp.example.net").port(587)
 *         .auth("alice@example.net", passwordChars)
 *         .authMechanism(AuthMechanism.LOGIN)
 *         .run();
 * }</pre>
 */
public enum AuthMechanism {
    /** RFC 4616: username and password in one base64 initial response. */
    PLAIN(false),
    /** The de-facto LOGIN mechanism: username and password each answer a base64 challenge. */
    LOGIN(false),
    /** Google's and Microsoft's XOAUTH2: a user name and an OAuth2 bearer token. */
    XOAUTH2(true);

    private final boolean usesToken;

    AuthMechanism(boolean usesToken) {
        this.usesToken = usesToken;
    }

    /** {@return the name the server advertises in its {@code AUTH} EHLO line} */
    public String saslName() {
        return name();
    }

    /** {@return whether this mechanism carries an OAuth2 token rather than a password} */
    public boolean usesToken() {
        return usesToken;
    }
}
