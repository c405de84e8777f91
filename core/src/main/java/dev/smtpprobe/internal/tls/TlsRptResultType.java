package dev.smtpprobe.internal.tls;

/** The RFC 8460 §4.3 result types of policy discovery failures, with their registered names. */
public enum TlsRptResultType {
    /** The policy could not be fetched: no answer, a status other than 200, a redirect, too large, too slow. */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** The policy was fetched but is not a valid policy (syntax, content type, missing or bad fields). */
    STS_POLICY_INVALID("sts-policy-invalid"),
    /** The policy host's certificate failed WebPKI validation (untrusted, expired, wrong name). */
    STS_WEBPKI_INVALID("sts-webpki-invalid");

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
