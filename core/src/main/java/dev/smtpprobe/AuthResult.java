package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What happened when the probe authenticated: the mechanism, the server's final reply, and what the server
 * offered before and after STARTTLS. Present on an {@link Attempt} only when credentials were configured and the
 * attempt reached AUTH. It never holds the password or token.
 *
 * <pre>{@code
 * AuthResult auth = result.auth();
 * if (auth != null && auth.status() == AuthResult.Status.FAILED) {
 *     System.out.println("credentials rejected with " + auth.reply());
 * }
 * }</pre>
 *
 * @param status                 how the authentication ended
 * @param mechanism              the mechanism used, or {@code null} when none was chosen
 * @param credentialsSent        whether any credential bytes left this host
 * @param reply                  the server's final reply to AUTH (secrets scrubbed), or {@code null} when none
 * @param offered                the mechanisms the server advertised when AUTH was attempted, upper case
 * @param offeredBeforeStartTls  the mechanisms advertised before STARTTLS, or {@code null} when the session was not
 *                               upgraded with STARTTLS
 */
public record AuthResult(Status status, @Nullable AuthMechanism mechanism, boolean credentialsSent,
                         @Nullable SmtpReply reply, List<String> offered, @Nullable List<String> offeredBeforeStartTls) {

    /** How an authentication ended. */
    public enum Status {
        /** 235: the server accepted the credentials. */
        AUTHENTICATED,
        /** The server rejected the credentials (535, 534, or another permanent failure). */
        FAILED,
        /** A temporary failure (454 4.7.0): the server could not check the credentials now. */
        TEMPORARY_FAILURE,
        /** Credentials need TLS: not sent over plain text, or refused by the server with 530 / 538. */
        REQUIRES_TLS,
        /** The server offers no AUTH, or no mechanism the probe can use with these credentials. */
        UNAVAILABLE,
        /** The exchange did not finish: the connection broke, a reply timed out or the server broke the protocol. */
        INTERRUPTED
    }

    /**
     * Checks and copies the components.
     *
     * @param status how the authentication ended
     * @param mechanism the mechanism used, or {@code null} when none was chosen
     * @param credentialsSent whether any credential bytes left this host
     * @param reply the server's final reply to AUTH (secrets scrubbed), or {@code null} when none
     * @param offered the mechanisms the server advertised when AUTH was attempted, upper case
     * @param offeredBeforeStartTls the mechanisms advertised before STARTTLS, or {@code null} when the session was not
     *     upgraded with STARTTLS
     */
    public AuthResult {
        Arguments.requireNonNull(status, "status");
        offered = List.copyOf(Arguments.requireNonNull(offered, "offered"));
        offeredBeforeStartTls = offeredBeforeStartTls == null ? null : List.copyOf(offeredBeforeStartTls);
    }

    /** {@return whether the server accepted the credentials} */
    public boolean isAuthenticated() {
        return status == Status.AUTHENTICATED;
    }

    /**
     * {@return whether the server advertised AUTH only after STARTTLS (nothing before the upgrade, something after)}
     */
    public boolean offeredOnlyAfterStartTls() {
        return offeredBeforeStartTls != null && offeredBeforeStartTls.isEmpty() && !offered.isEmpty();
    }

    /** {@code "AUTH PLAIN -> FAILED (535 5.7.8 ...)"}; never contains a secret. */
    @Override
    public String toString() {
        return "AUTH " + (mechanism == null ? "-" : mechanism.saslName()) + " -> " + status
                + (reply == null ? "" : " (" + reply + ")") + (credentialsSent ? "" : ", credentials not sent");
    }
}
