package dev.smtpprobe.internal.tls;

import dev.smtpprobe.DnssecMode;
import dev.smtpprobe.TlsPolicy;
import javax.net.ssl.X509TrustManager;

/**
 * A probe's TLS policy settings, kept together so the probe configuration holds one value for them. Immutable.
 *
 * @param policy       the policy asked for, or null for the default (see {@link TlsPolicy})
 * @param dnssec       how DNSSEC is established for DANE
 * @param webPkiTrust  the trust for the MTA-STS policy host's certificate, or null for the JVM's default (WebPKI)
 * @param httpsPort    the port the MTA-STS policy is fetched from: 443, another only in tests
 * @param trustAnchors the DNSSEC trust anchors for {@link DnssecMode#VALIDATE}, or null for the root's
 *                     ({@link DnssecAnchors#ROOT})
 */
public record TlsPolicySettings(TlsPolicy policy, DnssecMode dnssec, X509TrustManager webPkiTrust, int httpsPort,
        DnssecAnchors trustAnchors) {

    /** The defaults: the default policy, no DNSSEC, the JVM's trust, port 443, the root's trust anchors. */
    public static final TlsPolicySettings DEFAULT = new TlsPolicySettings(null, DnssecMode.NONE, null, 443, null);

    /** Checks the components. */
    public TlsPolicySettings {
        if (dnssec == null) {
            throw new IllegalArgumentException("dnssec must not be null");
        }
        if (httpsPort < 1 || httpsPort > 0xffff) {
            throw new IllegalArgumentException("httpsPort must be 1..65535: " + httpsPort);
        }
    }

    public TlsPolicySettings withPolicy(TlsPolicy p) {
        return new TlsPolicySettings(p, dnssec, webPkiTrust, httpsPort, trustAnchors);
    }

    public TlsPolicySettings withDnssec(DnssecMode d) {
        return new TlsPolicySettings(policy, d, webPkiTrust, httpsPort, trustAnchors);
    }

    public TlsPolicySettings withWebPkiTrust(X509TrustManager t) {
        return new TlsPolicySettings(policy, dnssec, t, httpsPort, trustAnchors);
    }

    public TlsPolicySettings withHttpsPort(int port) {
        return new TlsPolicySettings(policy, dnssec, webPkiTrust, port, trustAnchors);
    }

    public TlsPolicySettings withTrustAnchors(DnssecAnchors anchors) {
        return new TlsPolicySettings(policy, dnssec, webPkiTrust, httpsPort, anchors);
    }

    /** @return the trust anchors for local validation: those set, else the root's */
    public DnssecAnchors anchors() {
        return trustAnchors == null ? DnssecAnchors.ROOT : trustAnchors;
    }
}
