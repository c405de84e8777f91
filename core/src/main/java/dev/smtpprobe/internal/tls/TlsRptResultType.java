package dev.smtpprobe.internal.tls;

/** The RFC 8460 §4.3 result types of TLS policy failures (discovery and negotiation), with their registered names. */
public enum TlsRptResultType {
    /** The policy could not be fetched: no answer, a status other than 200, a redirect, too large, too slow. */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** The policy was fetched but is not a valid policy (syntax, content type, missing or bad fields). */
    STS_POLICY_INVALID("sts-policy-invalid"),
    /** The policy host's certificate failed WebPKI validation (untrusted, expired, wrong name). */
    STS_WEBPKI_INVALID("sts-webpki-invalid"),
    /** The receiving MX does not offer STARTTLS (RFC 8460 §4.3.1). */
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    /** The certificate presented does not name the MX host. */
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    /** The certificate has expired (or is not yet valid). */
    CERTIFICATE_EXPIRED("certificate-expired"),
    /** The certificate chain does not lead to a trusted root. */
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    /** A failure of the policy not named by another type, e.g. an MX host that no MTA-STS pattern allows. */
    VALIDATION_FAILURE("validation-failure"),
    /** DNSSEC-authenticated TLSA records exist and none matches the presented chain (RFC 8460 §4.3.2). */
    TLSA_INVALID("tlsa-invalid"),
    /** The TLSA lookup failed DNSSEC validation (RFC 8460 §4.3.2). */
    DNSSEC_INVALID("dnssec-invalid");

    private final String rfcName;

    TlsRptResultType(String rfcName) {
        this.rfcName = rfcName;
    }

    /** @return the result type as RFC 8460 registers it, e.g. {@code sts-policy-fetch-error} */
    public String rfcName() {
        return rfcName;
    }

    @Override
    public String toString() {
        return rfcName;
    }
}
