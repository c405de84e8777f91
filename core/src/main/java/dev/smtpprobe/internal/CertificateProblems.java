package dev.smtpprobe.internal;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;

/** Tells which certificate check failed in a TLS failure. */
public final class CertificateProblems {

    private CertificateProblems() {
    }

    /** Which check failed. */
    public enum Kind { EXPIRED, NOT_YET_VALID, UNTRUSTED, HOSTNAME_MISMATCH }

    /** A certificate problem and a human detail. */
    public record CertificateProblem(Kind kind, String detail) {
    }

    public static Optional<CertificateProblem> classify(Throwable failure, X509Certificate[] chainSeen,
                                                        String expectedHost, Instant now) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (t instanceof CertificateExpiredException) {
                return Optional.of(new CertificateProblem(Kind.EXPIRED, "certificate expired"));
            }
            if (t instanceof CertificateNotYetValidException) {
                return Optional.of(new CertificateProblem(Kind.NOT_YET_VALID, "certificate not yet valid"));
            }
            if (m.contains("No subject alternative") || m.contains("No name matching")) {
                return Optional.of(new CertificateProblem(Kind.HOSTNAME_MISMATCH,
                        "certificate does not match " + expectedHost));
            }
            if (m.contains("unable to find valid certification path") || m.contains("PKIX path")) {
                return Optional.of(new CertificateProblem(Kind.UNTRUSTED, "certificate chain is not trusted"));
            }
        }
        return Optional.empty();
    }
}
