package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.time.Instant;
import java.util.List;

/**
 * The facts of one certificate of the server's chain, as shown in a result and a report.
 *
 * @param subject                 the subject distinguished name (RFC 2253)
 * @param issuer                  the issuer distinguished name (RFC 2253)
 * @param subjectAlternativeNames DNS names and IP addresses of the subjectAltName extension
 * @param notBefore               start of validity
 * @param notAfter                end of validity
 * @param daysToExpiry            whole days from the probe's start to {@code notAfter}; negative once expired
 * @param serialNumber            the serial number in hexadecimal
 * @param sha256Fingerprint       the SHA-256 fingerprint of the encoded certificate, hexadecimal with colons
 * @param pem                     the certificate as the server presented it, in PEM ({@code -----BEGIN
 *     CERTIFICATE-----},
 *                                base64 of the DER in 64-character lines, {@code -----END CERTIFICATE-----}, each line
 *                                ending in {@code \n}), for {@code openssl x509} and the like; empty when the
 *                                certificate could not be re-encoded
 */
public record CertificateInfo(String subject, String issuer, List<String> subjectAlternativeNames,
                              Instant notBefore, Instant notAfter, long daysToExpiry,
                              String serialNumber, String sha256Fingerprint, String pem) {

    /**
     * Checks and copies the components.
     *
     * @param subject the subject distinguished name (RFC 2253)
     * @param issuer the issuer distinguished name (RFC 2253)
     * @param subjectAlternativeNames DNS names and IP addresses of the subjectAltName extension
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @param daysToExpiry whole days from the probe's start to {@code notAfter}; negative once expired
     * @param serialNumber the serial number in hexadecimal
     * @param sha256Fingerprint the SHA-256 fingerprint of the encoded certificate, hexadecimal with colons
     * @param pem the certificate as the server presented it, in PEM ({@code -----BEGIN CERTIFICATE-----}, base64 of
     *     the DER in 64-character lines, {@code -----END CERTIFICATE-----}, each line ending in {@code \n}), for {@code
     *     openssl x509} and the like; empty when the certificate could not be re-encoded
     */
    public CertificateInfo {
        Arguments.requireNonNull(subject, "subject");
        Arguments.requireNonNull(issuer, "issuer");
        subjectAlternativeNames = List.copyOf(Arguments.requireNonNull(subjectAlternativeNames, "subjectAlternativeNames"));
        Arguments.requireNonNull(notBefore, "notBefore");
        Arguments.requireNonNull(notAfter, "notAfter");
        Arguments.requireNonNull(serialNumber, "serialNumber");
        Arguments.requireNonNull(sha256Fingerprint, "sha256Fingerprint");
        Arguments.requireNonNull(pem, "pem");
    }

    /**
     * The facts of a certificate whose encoding is not at hand: {@link #pem()} is empty.
     *
     * @param subject the subject's distinguished name
     * @param issuer the issuer's distinguished name
     * @param subjectAlternativeNames the DNS names and IP addresses the certificate is valid for
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @param daysToExpiry whole days from the probe's start to {@code notAfter}; negative once expired
     * @param serialNumber the serial number in hexadecimal
     * @param sha256Fingerprint the SHA-256 fingerprint of the encoded certificate, hexadecimal with colons
     */
    public CertificateInfo(String subject, String issuer, List<String> subjectAlternativeNames,
                           Instant notBefore, Instant notAfter, long daysToExpiry,
                           String serialNumber, String sha256Fingerprint) {
        this(subject, issuer, subjectAlternativeNames, notBefore, notAfter, daysToExpiry, serialNumber,
                sha256Fingerprint, "");
    }
}
