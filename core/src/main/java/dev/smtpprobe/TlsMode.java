package dev.smtpprobe;

/**
 * How a probe uses TLS.
 *
 * <p>Port 465 speaks TLS from the first byte (RFC 8314); 25, 587 and 2525 start in plain text and upgrade with
 * STARTTLS (RFC 3207). {@link #defaultFor(int)} encodes that convention.
 */
public enum TlsMode {
    /** Plain text only; STARTTLS is never attempted. */
    NONE,
    /** Upgrade with STARTTLS when the server advertises it; continue in plain text when it does not. */
    STARTTLS,
    /**
     * Upgrade with STARTTLS; a server that does not offer it ends the probe with {@link Verdict#STARTTLS_UNAVAILABLE}.
     */
    STARTTLS_REQUIRED,
    /** TLS from the first byte (SMTPS, port 465). */
    IMPLICIT;

    /**
     * The usual mode for a port: {@link #IMPLICIT} for 465, {@link #STARTTLS} for every other port.
     *
     * @param port a TCP port
     * @return {@link #IMPLICIT} for 465, {@link #STARTTLS} otherwise
     */
    public static TlsMode defaultFor(int port) {
        return port == 465 ? IMPLICIT : STARTTLS;
    }

    /** {@return whether this mode starts with a STARTTLS upgrade} */
    public boolean usesStartTls() {
        return this == STARTTLS || this == STARTTLS_REQUIRED;
    }
}
