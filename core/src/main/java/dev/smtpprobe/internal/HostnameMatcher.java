package dev.smtpprobe.internal;

import java.net.IDN;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Checks a server certificate against the host name the client asked for, by the rules of RFC 6125 §6 as browsers
 * and the JDK apply them: DNS names of the subjectAltName, compared case-insensitively without a trailing dot; a
 * wildcard only as the whole leftmost label ({@code *.example.net} matches {@code mx.example.net}, not
 * {@code example.net} nor {@code a.mx.example.net}; {@code *.net} and {@code m*.example.net} match nothing); an IP
 * literal only against IP address entries; the subject CN only when the certificate has no alternative name at all.
 *
 * <p>Used when the user's trust manager is a plain {@code X509TrustManager}, which cannot check the host itself,
 * and for the DANE-TA name check ({@code internal.tls.DaneMatcher}). Pure code, no DNS; this class is threadsafe.
 */
public final class HostnameMatcher {

    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    /** The certificate does not name the host; a type of its own so the cause is found without reading text. */
    static final class MismatchException extends CertificateException {

        private static final long serialVersionUID = 1L;

        MismatchException(String message) {
            super(message);
        }
    }

    private HostnameMatcher() {
    }

    /**
     * Whether {@code cert} is for {@code host} (a DNS name, an IP literal, or a bracketed literal such as
     * {@code [192.0.2.1]} / {@code [IPv6:2001:db8::1]}).
     */
    public static boolean matches(String host, X509Certificate cert) {
        if (host == null || host.isBlank() || cert == null) {
            return false;
        }
        Optional<InetAddress> ip = Addresses.parseLiteral(host);
        if (ip.isPresent()) {
            for (String value : sans(cert, SAN_IP)) {
                Optional<InetAddress> san = Addresses.parseLiteral(value);
                if (san.isPresent() && san.get().equals(ip.get())) {
                    return true;
                }
            }
            return false;
        }
        String name = normalize(host);
        if (name == null) {
            return false;
        }
        for (String pattern : sans(cert, SAN_DNS)) {
            if (matchesPattern(name, pattern)) {
                return true;
            }
        }
        // RFC 6125 §6.4.4: the CN only as a last resort, for certificates without alternative names at all (the
        // JDK also falls back when there are IP entries only; a certificate with any entry says what it is for).
        if (!sans(cert, SAN_DNS).isEmpty() || !sans(cert, SAN_IP).isEmpty()) {
            return false;
        }
        String cn = commonName(cert);
        return cn != null && matchesPattern(name, cn);
    }

    /**
     * Throws a {@link MismatchException} naming what the certificate is for when it does not match {@code host}.
     */
    static void check(String host, X509Certificate cert) throws MismatchException {
        if (!matches(host, cert)) {
            throw new MismatchException("certificate is for " + namesOf(cert) + ", not " + host);
        }
    }

    /** What a certificate names: its DNS and IP subject alternative names, or its CN when it has none. */
    static List<String> namesOf(X509Certificate cert) {
        List<String> names = TlsFacts.subjectAlternativeNames(cert);
        if (names.isEmpty()) {
            String cn = commonName(cert);
            if (cn != null) {
                names = List.of("CN=" + cn);
            }
        }
        return names;
    }

    private static boolean matchesPattern(String host, String pattern) {
        String p = normalize(pattern);
        if (p == null) {
            return false;
        }
        if (!p.contains("*")) {
            return p.equals(host);
        }
        // Only "*." followed by at least two labels: "*.example.net" yes, "*.net", "m*.example.net", "a.*.net" no.
        if (!p.startsWith("*.") || p.indexOf('*', 1) >= 0) {
            return false;
        }
        String suffix = p.substring(1); // ".example.net"
        if (suffix.indexOf('.', 1) < 0) {
            return false;
        }
        if (!host.endsWith(suffix)) {
            return false;
        }
        String first = host.substring(0, host.length() - suffix.length());
        return !first.isEmpty() && first.indexOf('.') < 0;
    }

    /** Lower case, no trailing dot, A-labels for internationalised names; null when it cannot be a DNS name. */
    private static String normalize(String name) {
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty()) {
            return null;
        }
        try {
            // IDN.toASCII keeps "*" (it is not an error under the default flags) and leaves ASCII names alone.
            n = IDN.toASCII(n);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return n.toLowerCase(Locale.ROOT);
    }

    private static List<String> sans(X509Certificate cert, int type) {
        List<String> out = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return out;
        }
        if (sans != null) {
            for (List<?> san : sans) {
                if (san.size() >= 2 && Integer.valueOf(type).equals(san.get(0)) && san.get(1) instanceof String v) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** The most specific (last) CN of the subject, or null. */
    private static String commonName(X509Certificate cert) {
        try {
            String cn = null;
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()) && rdn.getValue() instanceof String v) {
                    cn = v;
                }
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }
}
