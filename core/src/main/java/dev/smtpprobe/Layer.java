package dev.smtpprobe;

/**
 * The layer of the mail path at which a probe ended. Each {@link Verdict} belongs to exactly one layer,
 * so a caller can tell a network problem from a policy rejection or a credentials problem at a glance.
 */
public enum Layer {
    /** Nothing failed. */
    NONE("no failure"),
    /** Name resolution: MX, A and AAAA lookups. */
    DNS("DNS"),
    /** The TCP connection, before any SMTP byte was exchanged. */
    TCP("TCP"),
    /** TLS: implicit TLS, STARTTLS, or the server's certificate. */
    TLS("TLS"),
    /** The SMTP dialogue: banner, EHLO, replies and policy. */
    SMTP("SMTP"),
    /** SMTP authentication (RFC 4954). */
    AUTH("AUTH"),
    /**
     * The probe or a plug-in {@link dev.smtpprobe.spi.Transport} failed; not a diagnosis of the network. Only
     * {@link Verdict#INTERNAL_ERROR} belongs here.
     */
    INTERNAL("internal");

    private final String label;

    Layer(String label) {
        this.label = label;
    }

    /** {@return a short human label, for example {@code "TCP"}} */
    public String label() {
        return label;
    }
}
