package dev.smtpprobe.internal.tls;

import dev.smtpprobe.internal.HostnameMatcher;
import dev.smtpprobe.internal.Texts;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Matches the chain an SMTP server presented against the host's TLSA records, by the rules an SMTP client applies
 * (RFC 7672 §3, RFC 6698 §2.1, RFC 7671):
 * <ul>
 *   <li>only DANE-TA(2) and DANE-EE(3) records are usable; PKIX-TA(0), PKIX-EE(1) and unknown fields are ignored,
 *       and with no usable record the answer is {@link DaneMatch.Outcome#NO_USABLE_TLSA};</li>
 *   <li>DANE-EE(3) compares the server's own certificate (selector Cert(0)) or public key (SPKI(1)) and nothing
 *       else: neither names nor validity dates are checked (RFC 7672 §3.1.1);</li>
 *   <li>DANE-TA(2) must match an issuer the server sent in its chain; the chain from the server's certificate up to
 *       that trust anchor must verify, be valid now, and the server's certificate must name one of the reference
 *       names (the MX host first; RFC 7672 §3.2.2, §3.2.3), wildcards as the leftmost label only;</li>
 *   <li>matching types Full(0), SHA2-256(1), SHA2-512(2); any one usable record that matches is enough.</li>
 * </ul>
 * A DANE-TA trust anchor that the server does not send (a key published in full in DNS) is not supported: such a
 * server gets {@link DaneMatch.Problem#NO_RECORD_MATCHES}. Pure code, no I/O; this class is threadsafe.
 */
public final class DaneMatcher {

    private static final int SHORT_HEX = 16;
    /** A subject name comes from the server: escaped and bounded before it reaches a detail line. */
    private static final int MAX_SUBJECT = 256;

    private DaneMatcher() {
    }

    /**
     * Matches {@code chain} against {@code records}.
     *
     * @param records        the host's TLSA records, DNSSEC-authenticated by the caller
     * @param chain          the presented chain, the server's certificate first (may be empty: no certificate)
     * @param referenceNames the names the server's certificate may carry for DANE-TA: the MX host (TLSA base
     *                       domain) first, optionally the next-hop domain
     * @param now            the time against which DANE-TA chains are checked for validity
     * @return the outcome, never null
     * @throws IllegalArgumentException naming the argument when one is null or {@code referenceNames} is empty
     */
    public static DaneMatch match(List<Tlsa> records, X509Certificate[] chain, List<String> referenceNames,
            Instant now) {
        if (records == null || records.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("records must not be null nor hold null");
        }
        if (chain == null) {
            throw new IllegalArgumentException("chain must not be null");
        }
        if (referenceNames == null || referenceNames.isEmpty()
                || referenceNames.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("referenceNames must hold at least one name and no null");
        }
        if (now == null) {
            throw new IllegalArgumentException("now must not be null");
        }
        List<Tlsa> usable = records.stream().filter(Tlsa::usableForSmtp).toList();
        if (usable.isEmpty()) {
            return DaneMatch.noUsable(records.isEmpty() ? "no TLSA records"
                    : "none of the TLSA records is usable for SMTP (only DANE-TA(2) and DANE-EE(3) are): "
                            + shortList(records));
        }
        if (chain.length == 0 || Objects.isNull(chain[0])) {
            return DaneMatch.failed(DaneMatch.Problem.NO_CHAIN, "the server presented no certificate");
        }
        for (Tlsa r : usable) {
            if (r.usage() == Tlsa.DANE_EE && matches(r, chain[0])) {
                return DaneMatch.matched(r, "DANE-EE record " + shortForm(r) + " matches the server's "
                        + (r.selector() == Tlsa.SPKI ? "public key" : "certificate"));
            }
        }
        DaneMatch firstFailure = null;
        for (Tlsa r : usable) {
            if (r.usage() != Tlsa.DANE_TA) {
                continue;
            }
            for (int i = 1; i < chain.length; i++) {
                if (chain[i] == null || !matches(r, chain[i])) {
                    continue;
                }
                DaneMatch checked = checkPath(r, chain, i, referenceNames, now);
                if (checked.isMatch()) {
                    return checked;
                }
                if (firstFailure == null) {
                    firstFailure = checked;
                }
            }
        }
        if (firstFailure != null) {
            return firstFailure;
        }
        return DaneMatch.failed(DaneMatch.Problem.NO_RECORD_MATCHES, "none of the usable TLSA records "
                + shortList(usable) + " matches the server's certificate or an issuer it sent ("
                + chain.length + (chain.length == 1 ? " certificate)" : " certificates)"));
    }

    /** The DANE-TA checks once record {@code r} matched {@code chain[anchor]}. */
    private static DaneMatch checkPath(Tlsa r, X509Certificate[] chain, int anchor, List<String> names,
            Instant now) {
        String what = "DANE-TA record " + shortForm(r) + " matches "
                + Texts.printable(chain[anchor].getSubjectX500Principal().getName(), MAX_SUBJECT);
        Date date = Date.from(now);
        for (int j = 0; j < anchor; j++) {
            X509Certificate cert = chain[j];
            X509Certificate issuer = chain[j + 1];
            if (cert == null || issuer == null
                    || !cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                return DaneMatch.failed(DaneMatch.Problem.CHAIN_BROKEN,
                        what + ", but certificate " + j + " of the chain is not issued by the next one");
            }
            try {
                cert.verify(issuer.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                return DaneMatch.failed(DaneMatch.Problem.CHAIN_BROKEN,
                        what + ", but the signature on certificate " + j + " of the chain does not verify");
            }
            try {
                cert.checkValidity(date);
            } catch (CertificateExpiredException e) {
                return DaneMatch.failed(DaneMatch.Problem.CERTIFICATE_EXPIRED, what + ", but certificate " + j
                        + " of the chain expired at " + cert.getNotAfter().toInstant());
            } catch (CertificateNotYetValidException e) {
                return DaneMatch.failed(DaneMatch.Problem.CERTIFICATE_EXPIRED, what + ", but certificate " + j
                        + " of the chain is valid only from " + cert.getNotBefore().toInstant());
            }
        }
        for (String name : names) {
            if (HostnameMatcher.matches(name, chain[0])) {
                return DaneMatch.matched(r, what + " and the server's certificate names " + name);
            }
        }
        return DaneMatch.failed(DaneMatch.Problem.HOST_MISMATCH,
                what + ", but the server's certificate names none of " + names);
    }

    /** Whether the record's association data is the selected, digested form of {@code cert}. */
    static boolean matches(Tlsa r, X509Certificate cert) {
        byte[] selected;
        try {
            selected = r.selector() == Tlsa.SPKI ? cert.getPublicKey().getEncoded() : cert.getEncoded();
        } catch (CertificateEncodingException e) {
            return false;
        }
        if (selected == null) {
            return false;
        }
        byte[] expected = r.data();
        return switch (r.matchingType()) {
            case Tlsa.FULL -> MessageDigest.isEqual(selected, expected);
            case Tlsa.SHA2_256 -> MessageDigest.isEqual(digest("SHA-256", selected), expected);
            case Tlsa.SHA2_512 -> MessageDigest.isEqual(digest("SHA-512", selected), expected);
            default -> false;
        };
    }

    private static byte[] digest(String algorithm, byte[] bytes) {
        try {
            return MessageDigest.getInstance(algorithm).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide SHA-256 and SHA-512.
            throw new IllegalStateException(algorithm, e);
        }
    }

    /** {@code 3 1 1 4A5B6C7D8E9FA0B1…}: enough to tell records apart in a detail line. */
    static String shortForm(Tlsa r) {
        String hex = HexFormat.of().formatHex(r.data()).toUpperCase(Locale.ROOT);
        return r.usage() + " " + r.selector() + " " + r.matchingType() + " "
                + (hex.length() > SHORT_HEX ? hex.substring(0, SHORT_HEX) + "…" : hex);
    }

    private static String shortList(List<Tlsa> records) {
        return records.stream().map(DaneMatcher::shortForm).collect(Collectors.joining(", ", "[", "]"));
    }
}
