package dev.smtpprobe.internal;

import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.TlsInfo;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Turns a TLS session, or the chain a failed handshake showed, into the {@link TlsInfo} and {@link CertificateInfo}
 * values of a result. Pure code over JDK objects; this class is threadsafe.
 */
final class TlsFacts {

    /** subjectAltName GeneralName tags (RFC 5280 §4.2.1.6) as the JDK reports them. */
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;
    private static final long SECONDS_PER_DAY = 86_400;
    private static final int PEM_LINE = 64;

    private TlsFacts() {
    }

    /**
     * The facts of an established session: protocol, cipher suite and the server's chain (leaf first). A session
     * without peer certificates (an anonymous suite, or one not yet verified) gives an empty chain.
     */
    public static TlsInfo of(SSLSession session, Instant now) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(now, "now");
        List<CertificateInfo> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(certificate(x, now));
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // No peer certificates: nothing to show, which is itself the fact.
        }
        return new TlsInfo(nullToEmpty(session.getProtocol()), nullToEmpty(session.getCipherSuite()), chain);
    }

    /**
     * The facts of a chain seen during a handshake that did not complete (protocol and cipher suite are empty).
     * A null chain gives an empty one.
     */
    public static TlsInfo ofChain(X509Certificate[] chain, Instant now) {
        Objects.requireNonNull(now, "now");
        List<CertificateInfo> infos = new ArrayList<>();
        if (chain != null) {
            for (X509Certificate c : chain) {
                if (c != null) {
                    infos.add(certificate(c, now));
                }
            }
        }
        return new TlsInfo("", "", infos);
    }

    /**
     * The facts of one certificate: subject and issuer (RFC 2253), DNS and IP subject alternative names, validity,
     * whole days from {@code now} to {@code notAfter} (rounded down, so negative as soon as it expired), serial
     * number and SHA-256 fingerprint in upper-case hexadecimal (the fingerprint with colons, as browsers and
     * {@code openssl x509 -fingerprint} show it).
     */
    public static CertificateInfo certificate(X509Certificate c, Instant now) {
        Objects.requireNonNull(c, "certificate");
        Objects.requireNonNull(now, "now");
        Instant notAfter = c.getNotAfter().toInstant();
        long days = Math.floorDiv(notAfter.getEpochSecond() - now.getEpochSecond(), SECONDS_PER_DAY);
        return new CertificateInfo(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                subjectAlternativeNames(c), c.getNotBefore().toInstant(), notAfter, days,
                c.getSerialNumber().toString(16).toUpperCase(Locale.ROOT), fingerprint(c), pem(c));
    }

    /** The DNS names and IP addresses (compressed IPv6 form) of the subjectAltName extension, in order. */
    static List<String> subjectAlternativeNames(X509Certificate c) {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = c.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return names; // an undecodable extension: show no names rather than fail the whole result
        }
        if (sans == null) {
            return names;
        }
        for (List<?> san : sans) {
            if (san.size() < 2 || !(san.get(0) instanceof Integer type) || !(san.get(1) instanceof String value)) {
                continue;
            }
            if (type == SAN_DNS) {
                names.add(value);
            } else if (type == SAN_IP) {
                names.add(Addresses.parseLiteral(value).map(TlsFacts::ipText).orElse(value));
            }
        }
        return names;
    }

    /** {@code 192.0.2.1}, or IPv6 in the RFC 5952 form {@code 2001:db8::1} (the JDK writes every group). */
    static String ipText(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return address.getHostAddress();
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed (RFC 5952 §4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static String fingerprint(X509Certificate c) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        } catch (CertificateEncodingException e) {
            return ""; // a certificate the JDK decoded but cannot re-encode: no fingerprint to show
        }
    }

    /** PEM of the encoded certificate (RFC 7468 strict form: 64-character base64 lines, LF endings). */
    static String pem(X509Certificate c) {
        byte[] der;
        try {
            der = c.getEncoded();
        } catch (CertificateEncodingException e) {
            return "";
        }
        String body = Base64.getMimeEncoder(PEM_LINE, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
