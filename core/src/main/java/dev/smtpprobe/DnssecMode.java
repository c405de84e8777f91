package dev.smtpprobe;

/**
 * How a probe decides that DNS answers are DNSSEC-authenticated, which DANE (RFC 7672) requires
 * ({@link SmtpProbe.Builder#dnssec(DnssecMode)}; the choice is in {@link TlsPolicyReport#dnssec()}).
 */
public enum DnssecMode {
    /** No DNSSEC (the default): no answer is authenticated, so DANE TLSA records are never applied. */
    NONE,
    /**
     * Trust the AD (authenticated data) flag of the probe's resolvers: declare them DNSSEC-validating and reached
     * over a trusted path (a resolver on this host or this network). A SERVFAIL from such a resolver is taken to be a
     * DNSSEC validation failure ({@code dnssec-invalid}).
     */
    TRUST_AD,
    /**
     * Validate DNSSEC locally (RFC 4035 §5) with dnsjava's validating resolver over the probe's resolvers, from a
     * trust anchor ({@link SmtpProbe.Builder#dnssecTrustAnchors(String)}; default: the root zone's KSK-2017 and
     * KSK-2024 DS records). The resolvers need not validate, only pass DNSSEC records (RRSIG, DNSKEY, DS). A secure
     * answer authenticates TLSA records, an insecure one (an unsigned zone) leaves DANE out, a bogus one is
     * {@code dnssec-invalid}.
     */
    VALIDATE
}
