package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.internal.CertificateProblems.Kind;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The JDK's exception shapes for each certificate problem, outermost message first, as a handshake reports them. */
class CertificateProblemsTest {

    @Test
    void expiredInsidePkixValidationFailureIsExpired() {
        assertThat(kindOf(pkix(new CertPathValidatorException("validity check failed",
                new CertificateExpiredException("NotAfter: ..."), null, -1,
                CertPathValidatorException.BasicReason.EXPIRED)))).isEqualTo(Kind.EXPIRED);
    }

    @Test
    void notYetValidInsidePkixValidationFailureIsNotYetValid() {
        assertThat(kindOf(pkix(new CertPathValidatorException("validity check failed",
                new CertificateNotYetValidException("NotBefore: ..."), null, -1,
                CertPathValidatorException.BasicReason.NOT_YET_VALID)))).isEqualTo(Kind.NOT_YET_VALID);
    }

    @Test
    void reasonAloneIsEnough() {
        assertThat(kindOf(pkix(new CertPathValidatorException("validity check failed", null, null, -1,
                CertPathValidatorException.BasicReason.EXPIRED)))).isEqualTo(Kind.EXPIRED);
    }

    @Test
    void unknownIssuerIsUntrusted() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed: "
                + "unable to find valid certification path to requested target");
        assertThat(kindOf(e)).isEqualTo(Kind.UNTRUSTED);
    }

    @Test
    void nameMismatchIsHostnameMismatch() {
        SSLHandshakeException e = new SSLHandshakeException("No subject alternative names matching IP address 127.0.0.1 found");
        e.initCause(new CertificateException("No subject alternative names matching IP address 127.0.0.1 found"));
        assertThat(kindOf(e)).isEqualTo(Kind.HOSTNAME_MISMATCH);
    }

    private static Throwable pkix(CertPathValidatorException validator) {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path validation failed: " + validator);
        e.initCause(new CertificateException("PKIX path validation failed: " + validator, validator));
        return e;
    }

    private static Kind kindOf(Throwable failure) {
        return CertificateProblems.classify(failure, null, "127.0.0.1", Instant.now()).orElseThrow().kind();
    }
}
