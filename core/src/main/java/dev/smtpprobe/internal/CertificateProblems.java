package dev.smtpprobe.internal;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Tells which certificate check failed in a TLS handshake failure, with a detail a server admin can act on
 * ("certificate CN=mx.example.net expired 2026-01-01T00:00:00Z, 12 days ago"). Anything that is not about the
 * server's certificate (a protocol or cipher mismatch, an alert, a broken connection) gives no problem: the
 * verdict is then a plain handshake failure.
 *
 * <p>The cause chain is matched by JDK type first, most specific first; the JDK's internal wrapper types and its
 * host name messages are recognised by name and text, which is all they offer. The chain the client was shown
 * (see {@link RecordingTrustManager}) confirms the dates and names the certificate. Pure code; threadsafe.
 */
final class CertificateProblems {

    /** Which check failed. */
    public enum Kind {
        /** The server's certificate (or one of its chain) is past its notAfter date. */
        EXPIRED,
        /** The server's certificate (or one of its chain) is before its notBefore date. */
        NOT_YET_VALID,
        /** The chain does not lead to a trusted root (self-signed, unknown CA, missing intermediate, revoked...). */
        UNTRUSTED,
        /** The certificate is valid but for other names than the host the client asked for. */
        HOSTNAME_MISMATCH
    }

    /**
     * A certificate problem.
     *
     * @param kind   which check failed
     * @param detail one sentence for a person: which certificate, what is wrong with it, with dates or names
     */
    public record CertificateProblem(Kind kind, String detail) {
    }

    /** Causes deeper than this are not followed: real chains are a handful long, a cycle is not followed at all. */
    private static final int MAX_DEPTH = 32;

    private CertificateProblems() {
    }

    /**
     * Which certificate check caused {@code tlsFailure}, or empty when it is not about the certificate.
     *
     * @param tlsFailure   the handshake failure as the transport reported it (any wrapping)
     * @param chainSeen    the server's chain as the client was shown it, leaf first; may be null
     * @param expectedHost the host name the client asked for; may be null
     * @param now          the instant to judge validity at (the probe's clock)
     * @throws IllegalArgumentException when {@code tlsFailure} or {@code now} is null
     */
    public static Optional<CertificateProblem> classify(Throwable tlsFailure, X509Certificate[] chainSeen,
                                                        String expectedHost, Instant now) {
        if (tlsFailure == null) {
            throw new IllegalArgumentException("tlsFailure must not be null");
        }
        if (now == null) {
            throw new IllegalArgumentException("now must not be null");
        }
        X509Certificate[] chain = chainSeen == null || chainSeen.length == 0 || chainSeen[0] == null ? null : chainSeen;
        String host = expectedHost == null || expectedHost.isBlank() ? "the expected host" : expectedHost;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = tlsFailure; t != null && seen.size() < MAX_DEPTH && seen.add(t); t = t.getCause()) {
            Optional<CertificateProblem> problem = classifyOne(t, chain, host, now);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<CertificateProblem> classifyOne(Throwable t, X509Certificate[] chain, String host,
                                                            Instant now) {
        if (t instanceof CertificateExpiredException) {
            return Optional.of(expired(chain, now, t));
        }
        if (t instanceof CertificateNotYetValidException) {
            return Optional.of(notYetValid(chain, now, t));
        }
        if (t instanceof HostnameMatcher.MismatchException) {
            return Optional.of(mismatch(chain, host, t));
        }
        if (t instanceof CertPathValidatorException e) {
            // The reason says which check failed; its cause (when there is one) is looked at first, as it is
            // more specific, by the loop that follows the chain: only decide here when the reason says enough.
            if (e.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Optional.of(expired(chain, now, t));
            }
            if (e.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Optional.of(notYetValid(chain, now, t));
            }
            if (e.getCause() instanceof CertificateExpiredException
                    || e.getCause() instanceof CertificateNotYetValidException) {
                return Optional.empty();
            }
            return Optional.of(untrusted(chain, reasonText(e), now));
        }
        if (t instanceof CertPathBuilderException) {
            // SunCertPathBuilderException "unable to find valid certification path to requested target".
            return Optional.of(untrusted(chain, null, now));
        }
        String message = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof java.security.cert.CertificateException) {
            // The JDK's HostnameChecker: "No subject alternative DNS name matching x found.", "No subject
            // alternative names matching IP address x found", "No subject alternative names present",
            // "No name matching x found".
            if (message.startsWith("No subject alternative") || message.startsWith("No name matching")) {
                return Optional.of(mismatch(chain, host, t));
            }
            if (message.contains("unable to find valid certification path")) {
                return Optional.of(untrusted(chain, null, now));
            }
        }
        return Optional.empty();
    }

    private static CertificateProblem expired(X509Certificate[] chain, Instant now, Throwable t) {
        if (chain != null) {
            for (X509Certificate c : chain) {
                Instant notAfter = c.getNotAfter().toInstant();
                if (notAfter.isBefore(now)) {
                    return new CertificateProblem(Kind.EXPIRED, "certificate " + name(c) + " expired " + notAfter
                            + ", " + ago(Duration.between(notAfter, now)));
                }
            }
            // The TLS stack judged by its own clock (or a certificate we were not shown): say what the dates say.
            Instant notAfter = chain[0].getNotAfter().toInstant();
            return new CertificateProblem(Kind.EXPIRED, "the TLS stack reports an expired certificate, but "
                    + name(chain[0]) + " is valid until " + notAfter + " (check this machine's clock): "
                    + t.getMessage());
        }
        return new CertificateProblem(Kind.EXPIRED, "certificate expired: " + t.getMessage());
    }

    private static CertificateProblem notYetValid(X509Certificate[] chain, Instant now, Throwable t) {
        if (chain != null) {
            for (X509Certificate c : chain) {
                Instant notBefore = c.getNotBefore().toInstant();
                if (notBefore.isAfter(now)) {
                    return new CertificateProblem(Kind.NOT_YET_VALID, "certificate " + name(c)
                            + " is not valid before " + notBefore + ", " + in(Duration.between(now, notBefore))
                            + " (a new certificate installed early, or a wrong clock here or on the server)");
                }
            }
            Instant notBefore = chain[0].getNotBefore().toInstant();
            return new CertificateProblem(Kind.NOT_YET_VALID, "the TLS stack reports a certificate not yet valid, but "
                    + name(chain[0]) + " is valid since " + notBefore + " (check this machine's clock): "
                    + t.getMessage());
        }
        return new CertificateProblem(Kind.NOT_YET_VALID, "certificate not yet valid: " + t.getMessage());
    }

    private static CertificateProblem mismatch(X509Certificate[] chain, String host, Throwable t) {
        if (chain != null) {
            return new CertificateProblem(Kind.HOSTNAME_MISMATCH,
                    "certificate is for " + HostnameMatcher.namesOf(chain[0]) + ", not " + host);
        }
        return new CertificateProblem(Kind.HOSTNAME_MISMATCH, "certificate does not name " + host + ": "
                + t.getMessage());
    }

    private static CertificateProblem untrusted(X509Certificate[] chain, String reason, Instant now) {
        String suffix = reason == null ? "" : " (" + reason + ")";
        if (chain == null) {
            return new CertificateProblem(Kind.UNTRUSTED, "the certificate chain is not trusted" + suffix);
        }
        X509Certificate top = chain[chain.length - 1];
        boolean selfSigned = isSelfSigned(top);
        StringBuilder sb = new StringBuilder("issuer ").append(top.getIssuerX500Principal().getName())
                .append(" is not trusted (self-signed: ").append(selfSigned ? "yes" : "no").append(')');
        if (!selfSigned) {
            sb.append("; the chain shown has ").append(chain.length)
                    .append(chain.length == 1 ? " certificate" : " certificates")
                    .append(": is an intermediate missing, or is the CA not in the trust store?");
        }
        sb.append(suffix);
        // Trust is checked first, so an untrusted certificate that also expired would otherwise hide the second
        // problem until the first is fixed.
        Instant notAfter = chain[0].getNotAfter().toInstant();
        if (notAfter.isBefore(now)) {
            sb.append("; it also expired ").append(notAfter).append(", ").append(ago(Duration.between(notAfter, now)));
        }
        return new CertificateProblem(Kind.UNTRUSTED, sb.toString());
    }

    private static boolean isSelfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (Exception e) {
            return false; // same names, but not signed by its own key: not self-signed
        }
    }

    private static String reasonText(CertPathValidatorException e) {
        CertPathValidatorException.Reason reason = e.getReason();
        String what;
        if (reason == PKIXReason.NO_TRUST_ANCHOR) {
            what = "no trust anchor";
        } else if (reason == null || reason == CertPathValidatorException.BasicReason.UNSPECIFIED) {
            what = "validation failed";
        } else {
            what = reason.toString().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        return e.getMessage() == null ? what : what + ": " + e.getMessage();
    }

    private static String name(X509Certificate c) {
        return c.getSubjectX500Principal().getName();
    }

    private static String ago(Duration d) {
        return span(d) + " ago";
    }

    private static String in(Duration d) {
        return "in " + span(d);
    }

    /** Whole days, or hours/minutes when less than a day, so "0 days ago" never appears. */
    private static String span(Duration d) {
        long days = d.toDays();
        if (days >= 1) {
            return days + (days == 1 ? " day" : " days");
        }
        long hours = d.toHours();
        if (hours >= 1) {
            return hours + (hours == 1 ? " hour" : " hours");
        }
        long minutes = Math.max(1, d.truncatedTo(ChronoUnit.MINUTES).toMinutes());
        return minutes + (minutes == 1 ? " minute" : " minutes");
    }
}
