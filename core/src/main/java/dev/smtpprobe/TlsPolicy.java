package dev.smtpprobe;

/**
 * How a probe judges the server's TLS certificate, as the sender it stands in for would
 * ({@link SmtpProbe.Builder#tlsPolicy(TlsPolicy)}; the policy applied is in {@link ProbeResult#tlsPolicy()}).
 *
 * <p>Defaults: {@code to(host)} (an application's own relay, whose mail library verifies the certificate) uses
 * {@link #VERIFY}; {@code mx(domain)} on port 25 (an MTA delivering mail) uses {@link #DOMAIN}; {@code mx(domain)}
 * on another port uses {@link #VERIFY}.
 */
public enum TlsPolicy {
    /**
     * Opportunistic TLS (RFC 7435, RFC 3207): encrypt when offered; a certificate problem is a finding (an OK result
     * with a hint), not a failure. How MTAs deliver to a domain that publishes no TLS policy.
     */
    OPPORTUNISTIC,
    /** Authenticated TLS required: a certificate that fails WebPKI validation or names another host fails the probe. */
    VERIFY,
    /**
     * The receiving domain's own policy, for MX probes: authenticated TLS when the domain publishes MTA-STS in
     * {@code enforce} mode (RFC 8461) or DNSSEC-authenticated DANE TLSA records (RFC 7672, only with a
     * {@link DnssecMode} other than {@link DnssecMode#NONE}); otherwise {@link #OPPORTUNISTIC}. A host that fails the
     * domain's policy ends with {@link Verdict#TLS_POLICY_FAILED}. For a probe of a host (not a mail domain) it
     * behaves as {@link #OPPORTUNISTIC}.
     */
    DOMAIN
}
