package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.ProbeConfigBuilder;
import dev.smtpprobe.internal.TrustMaterial;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.X509TrustManager;

/**
 * The options of {@link SmtpProbe.Builder} that say how the server's TLS is judged: trust, the name to verify,
 * certificate expiry, the minimum TLS version, the TLS policy and DNSSEC for DANE. Not part of the API: its setters
 * are {@link SmtpProbe.Builder}'s. Each validates its argument at once.
 */
abstract sealed class TlsOptions extends TargetOptions permits SessionOptions {

    TlsOptions(ProbeConfigBuilder config) {
        super(config);
    }

    /**
     * Validates the server's chain with this trust manager instead of the JDK's default trust store.
     *
     * @param trustManager the trust manager that validates the server's chain
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder trustManager(X509TrustManager trustManager) {
        config.trustManager(Arguments.requireNonNull(trustManager, "trustManager"));
        return self();
    }

    /**
     * Validates the server's chain against the trusted certificates of this key store.
     *
     * @param trustStore a loaded key store whose trusted certificates are the trust anchors
     * @return this builder
     * @throws IllegalArgumentException when null or not loaded
     */
    public SmtpProbe.Builder trustStore(KeyStore trustStore) {
        config.trustManager(TrustMaterial.fromKeyStore(Arguments.requireNonNull(trustStore, "trustStore")));
        return self();
    }

    /**
     * Validates the server's chain against the CA certificates in this PEM file, read at once. At most 4 MiB
     * are read: a larger file, or an endless one such as {@code /dev/zero}, is rejected without reading
     * further.
     *
     * @param pemFile a PEM file of CA certificates, at most 4 MiB
     * @return this builder
     * @throws IllegalArgumentException naming {@code trustedCertificates} when null, when the file cannot be
     *                                  read, is larger than the limit or holds no certificate
     */
    public SmtpProbe.Builder trustedCertificates(Path pemFile) {
        config.trustManager(TrustMaterial.fromPem(Arguments.requireNonNull(pemFile, "trustedCertificates")));
        return self();
    }

    /**
     * Whether the certificate must match the host name (default true). Turning it off is for diagnosis only;
     * chain validation still applies.
     *
     * @param verify {@code false} to accept a certificate that does not name the host
     * @return this builder
     */
    public SmtpProbe.Builder verifyHostname(boolean verify) {
        config.verifyHostname(verify);
        return self();
    }

    /**
     * The name to verify the server's certificate as, and to send in SNI, instead of the host the probe connects
     * to: for a probe of an address literal, a load balancer or a test relay that stands in for a named server
     * ({@code SmtpProbe.to("192.0.2.1").tlsServerName("mx.example.net")}). It applies to STARTTLS and implicit TLS
     * alike, and to every host of an MX probe. An address literal is checked against the certificate's IP
     * addresses and sends no SNI (RFC 6066 §3).
     *
     * @param name the server name to verify the certificate as and to send in SNI
     * @return this builder
     * @throws IllegalArgumentException naming {@code tlsServerName} when null, blank, holding whitespace or control
     *                                  characters, or longer than 253 characters
     */
    public SmtpProbe.Builder tlsServerName(String name) {
        Arguments.requireToken(name, "tlsServerName");
        Arguments.requireArgument(name.length() <= 253 && name.chars().noneMatch(Character::isWhitespace),
                "tlsServerName must be a host name or an address of at most 253 characters without spaces: '%s'",
                name);
        config.tlsServerName(name);
        return self();
    }

    /**
     * How soon before the server's certificate expires an OK result gets a
     * {@link HintCode#CERTIFICATE_EXPIRES_SOON} hint (default
     * {@link SmtpProbe#DEFAULT_CERTIFICATE_EXPIRY_WARNING}, 14 days); {@link Duration#ZERO} turns the hint off.
     * The verdict never changes: a certificate that is still valid works.
     *
     * @param warning how long before expiry the hint is given; {@link Duration#ZERO} for never
     * @return this builder
     * @throws IllegalArgumentException naming {@code certificateExpiryWarning} when null, negative or longer
     *                                  than 3650 days
     */
    public SmtpProbe.Builder certificateExpiryWarning(Duration warning) {
        Arguments.requireNonNull(warning, "certificateExpiryWarning");
        Arguments.requireArgument(!warning.isNegative() && warning.compareTo(Duration.ofDays(3650)) <= 0,
                "certificateExpiryWarning must be between 0 and 3650 days: %s", warning);
        config.certificateExpiryWarning(warning);
        return self();
    }

    /**
     * The oldest TLS version a server may negotiate without a {@link HintCode#TLS_VERSION_BELOW_MINIMUM} finding:
     * {@code "1.2"} (the default, RFC 8996) or {@code "1.3"}. The probe itself offers TLS 1.0 to 1.3, each one the
     * JVM's security policy allows, so an old server is seen and reported rather than refused by the JVM's
     * defaults. The verdict does not change: the session worked.
     *
     * @param version {@code "1.2"} or {@code "1.3"}
     * @return this builder
     * @throws IllegalArgumentException naming {@code minTlsVersion} for null or another value
     */
    public SmtpProbe.Builder minTlsVersion(String version) {
        config.minTlsVersion(dev.smtpprobe.internal.TlsVersions.parseMinimum(version));
        return self();
    }

    /**
     * The TLS policy: how the server's certificate is judged ({@link TlsPolicy}). Default: {@link TlsPolicy#DOMAIN}
     * for {@code mx(domain)} on port 25, {@link TlsPolicy#VERIFY} otherwise. The result says which policy applied
     * and why ({@link ProbeResult#tlsPolicy()}).
     *
     * @param policy how the server's certificate is judged
     * @return this builder
     * @throws IllegalArgumentException naming {@code tlsPolicy} when null
     */
    public SmtpProbe.Builder tlsPolicy(TlsPolicy policy) {
        Arguments.requireNonNull(policy, "tlsPolicy");
        config.tlsPolicy(config.tlsPolicy().withPolicy(policy));
        return self();
    }

    /**
     * How DNS answers are taken to be DNSSEC-authenticated, for DANE (default {@link DnssecMode#NONE}: DANE TLSA
     * records are not applied). {@link DnssecMode#TRUST_AD} declares the probe's resolvers validating;
     * {@link DnssecMode#VALIDATE} validates locally from {@link #dnssecTrustAnchors(String) trust anchors}.
     *
     * @param mode how DNS answers are taken to be authenticated
     * @return this builder
     * @throws IllegalArgumentException naming {@code dnssec} when null
     */
    public SmtpProbe.Builder dnssec(DnssecMode mode) {
        Arguments.requireNonNull(mode, "dnssec");
        config.tlsPolicy(config.tlsPolicy().withDnssec(mode));
        return self();
    }

    /**
     * The DNSSEC trust anchors for {@link DnssecMode#VALIDATE}: DS or DNSKEY records in zone-file presentation
     * format, one per line (e.g. {@code example.net. IN DS 12345 13 2 AB12...}). Default: the root zone's KSK-2017
     * (key tag 20326) and KSK-2024 (key tag 38696) DS records.
     *
     * @param records the trust anchors, DS or DNSKEY records in presentation format
     * @return this builder
     * @throws IllegalArgumentException naming {@code dnssecTrustAnchors} when blank, unparsable or not DS/DNSKEY
     */
    public SmtpProbe.Builder dnssecTrustAnchors(String records) {
        config.tlsPolicy(config.tlsPolicy().withTrustAnchors(
                dev.smtpprobe.internal.tls.DnssecAnchors.parse(records)));
        return self();
    }

    /**
     * The trust for the MTA-STS policy host's certificate (default: the JVM's trust store, the WebPKI); for a
     * private CA or a test CA. It does not change how the SMTP server's certificate is verified.
     *
     * @param trust the trust manager for the MTA-STS policy host's HTTPS certificate
     * @return this builder
     * @throws IllegalArgumentException naming {@code mtaStsTrustManager} when null
     */
    public SmtpProbe.Builder mtaStsTrustManager(X509TrustManager trust) {
        Arguments.requireNonNull(trust, "mtaStsTrustManager");
        config.tlsPolicy(config.tlsPolicy().withWebPkiTrust(trust));
        return self();
    }

    /** The port the MTA-STS policy is fetched from (443); a seam for tests. */
    SmtpProbe.Builder mtaStsPort(int port) {
        config.tlsPolicy(config.tlsPolicy().withHttpsPort(port));
        return self();
    }
}
