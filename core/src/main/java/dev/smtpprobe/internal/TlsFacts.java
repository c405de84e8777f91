package dev.smtpprobe.internal;

import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.TlsInfo;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** Turns a TLS session or a certificate chain into result values. */
public final class TlsFacts {

    private TlsFacts() {
    }

    public static TlsInfo of(SSLSession session, Instant now) {
        List<CertificateInfo> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    chain.add(certificate(x, now));
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // no peer certificates: an anonymous suite
        }
        return new TlsInfo(session.getProtocol(), session.getCipherSuite(), chain);
    }

    public static TlsInfo ofChain(X509Certificate[] chain, Instant now) {
        List<CertificateInfo> infos = new ArrayList<>();
        for (X509Certificate c : chain) {
            infos.add(certificate(c, now));
        }
        return new TlsInfo("", "", infos);
    }

    public static CertificateInfo certificate(X509Certificate c, Instant now) {
        List<String> sans = new ArrayList<>();
        try {
            if (c.getSubjectAlternativeNames() != null) {
                for (List<?> san : c.getSubjectAlternativeNames()) {
                    Object type = san.get(0);
                    if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) {
                        sans.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // keep what was parsed
        }
        Instant notAfter = c.getNotAfter().toInstant();
        long days = Duration.between(now, notAfter).toDays();
        return new CertificateInfo(c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(), sans,
                c.getNotBefore().toInstant(), notAfter, days, c.getSerialNumber().toString(16), fingerprint(c));
    }

    private static String fingerprint(X509Certificate c) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
            StringBuilder sb = new StringBuilder();
            for (byte b : d) {
                if (sb.length() > 0) {
                    sb.append(':');
                }
                sb.append(String.format("%02X", b));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "";
        }
    }
}
