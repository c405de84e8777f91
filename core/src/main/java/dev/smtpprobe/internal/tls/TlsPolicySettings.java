package dev.smtpprobe.internal.tls;

import dev.smtpprobe.DnssecMode;
import dev.smtpprobe.TlsPolicy;
import javax.net.ssl.X509TrustManager;

/**
 * A probe's TLS policy settings, kept together so the probe configuration holds one value for them. Immutable.
 *
 * @param policy      the policy asked for, or null for the default (see {@link TlsPolicy})
 * @param dnssec      how DNSSEC is established for DANE
 * @param webPkiTrust the trust for the MTA-STS policy host's certificate, or null for the JVM's default (WebPKI)
 * @param httpsPort   the port the MTA-STS policy is fetched from: 443, another only in tests
 */
public record TlsPolicySettings(TlsPolicy policy, DnssecMode dnssec, X509TrustManager webPkiTrust, int httpsPort) {

    /** The defaults: the default policy, no DNSSEC, the JVM's trust, port 443. */
    public static final TlsPolicySettings DEFAULT = new TlsPolicySettings(null, DnssecMode.NONE, null, 443);

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
        return new TlsPolicySettings(p, dnssec, webPkiTrust, httpsPort);
    }

    public TlsPolicySettings withDnssec(DnssecMode d) {
        return new TlsPolicySettings(policy, d, webPkiTrust, httpsPort);
    }

    public TlsPolicySettings withWebPkiTrust(X509TrustManager t) {
        return new TlsPolicySettings(policy, dnssec, t, httpsPort);
    }

    public TlsPolicySettings withHttpsPort(int port) {
        return new TlsPolicySettings(policy, dnssec, webPkiTrust, port);
    }
}
