package dev.smtpprobe.testkit;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Certificates made at run time for TLS tests: a test CA and server certificates for {@code localhost},
 * {@code 127.0.0.1} and {@code ::1} that are valid, expired, not yet valid, for the wrong host, or self-signed
 * (untrusted). The client side trusts the test CA through {@link #trustManager()}, {@link #trustStore()} or the
 * PEM file {@link #caPemFile()}; nothing here is trusted by the JDK's default trust store.
 *
 * <pre>{@code
 * TestCertificates certs = TestCertificates.shared();
 * Script script = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(certs.valid().tls());
 * SmtpProbe.to("127.0.0.1").port(server.port()).trust(certs.trustManager()) ...
 * }</pre>
 *
 * <p>Keys are ECDSA P-256 (fast to make). Times: the CA and the valid certificate are valid from a day ago; the
 * valid certificate expires {@link #VALID_DAYS} days after it was made; the expired one expired a day ago; the
 * not-yet-valid one starts in a day. This class is threadsafe.
 */
public final class TestCertificates {

    /** How many days the {@link #valid()} certificate has left when made. */
    public static final int VALID_DAYS = 90;

    /** The host name the {@link #wrongHost()} certificate is issued for (it names no loopback address). */
    public static final String WRONG_HOST = "mx.other.invalid";

    private final X509Bundle ca;
    private final ServerCertificate valid;
    private final ServerCertificate expired;
    private final ServerCertificate notYetValid;
    private final ServerCertificate wrongHost;
    private final ServerCertificate selfSigned;
    private final KeyStore trustStore;
    private final X509TrustManager trustManager;
    private final Path caPemFile;

    private TestCertificates() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant dayAgo = now.minus(Duration.ofDays(1));
        ca = new CertificateBuilder()
                .subject("CN=smtp-probe test CA, O=smtp-probe testkit")
                .ecp256()
                .setIsCertificateAuthority(true)
                .setKeyUsage(true, CertificateBuilder.KeyUsage.keyCertSign, CertificateBuilder.KeyUsage.cRLSign)
                .notBefore(dayAgo)
                .notAfter(now.plus(Duration.ofDays(3650)))
                .buildSelfSigned();
        valid = issued("valid", leaf("CN=localhost", true).notBefore(dayAgo).notAfter(now.plus(Duration.ofDays(VALID_DAYS))));
        expired = issued("expired", leaf("CN=localhost", true)
                .notBefore(now.minus(Duration.ofDays(100))).notAfter(dayAgo));
        notYetValid = issued("notYetValid", leaf("CN=localhost", true)
                .notBefore(now.plus(Duration.ofDays(1))).notAfter(now.plus(Duration.ofDays(100))));
        wrongHost = issued("wrongHost", leaf("CN=" + WRONG_HOST, false).addSanDnsName(WRONG_HOST)
                .notBefore(dayAgo).notAfter(now.plus(Duration.ofDays(VALID_DAYS))));
        // The kit only signs a certificate with itself when it is marked as a CA; servers do send such certificates.
        X509Bundle self = leaf("CN=localhost", true).setIsCertificateAuthority(true).notBefore(dayAgo)
                .notAfter(now.plus(Duration.ofDays(VALID_DAYS))).buildSelfSigned();
        selfSigned = new ServerCertificate("selfSigned", List.of(self.getCertificate()), self.getKeyPair().getPrivate());

        trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(null, null);
        trustStore.setCertificateEntry("smtp-probe-test-ca", ca.getCertificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        trustManager = (X509TrustManager) Arrays.stream(factory.getTrustManagers())
                .filter(X509TrustManager.class::isInstance).findFirst().orElseThrow();

        Path directory = Files.createTempDirectory("smtp-probe-testkit-");
        // deleteOnExit runs in reverse order of registration: the directory first, so it is deleted last.
        directory.toFile().deleteOnExit();
        caPemFile = directory.resolve("test-ca.pem");
        caPemFile.toFile().deleteOnExit();
        Files.writeString(caPemFile, ca.getCertificatePEM(), StandardCharsets.US_ASCII);
    }

    /**
     * The certificates shared by every test in this JVM, made on first use (making keys costs milliseconds; there
     * is no reason to pay it per test).
     *
     * @return the shared certificates
     */
    public static TestCertificates shared() {
        return Holder.SHARED;
    }

    /**
     * A new, independent set (another CA: certificates of one set are untrusted by the other).
     *
     * @return new certificates
     */
    public static TestCertificates generate() {
        try {
            return new TestCertificates();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    /** @return a certificate for localhost, 127.0.0.1 and ::1, issued by the test CA, valid now */
    public ServerCertificate valid() {
        return valid;
    }

    /** @return like {@link #valid()} but expired a day ago */
    public ServerCertificate expired() {
        return expired;
    }

    /** @return like {@link #valid()} but valid only from tomorrow */
    public ServerCertificate notYetValid() {
        return notYetValid;
    }

    /** @return issued by the test CA and valid now, but for {@value #WRONG_HOST} only (CN and SAN) */
    public ServerCertificate wrongHost() {
        return wrongHost;
    }

    /** @return for localhost, 127.0.0.1 and ::1 and valid now, but self-signed: no trust store trusts it */
    public ServerCertificate selfSigned() {
        return selfSigned;
    }

    /**
     * The valid certificate with only TLS 1.2 and one cipher suite enabled
     * ({@code TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256}): a handshake works and the client must report exactly
     * that protocol and cipher.
     *
     * @return the TLS configuration
     */
    public ServerTls tls12Only() {
        return valid.tls().withProtocols("TLSv1.2").withCipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    }

    /**
     * A server that can agree on nothing with any client: TLS 1.2 only, with only an RSA cipher suite while its
     * key is ECDSA. It answers every client hello with a {@code handshake_failure} alert, which is what a client
     * sees from a protocol or cipher mismatch.
     *
     * @return the TLS configuration
     */
    public ServerTls noCommonCipher() {
        return valid.tls().withProtocols("TLSv1.2").withCipherSuites("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    }

    /**
     * A new certificate for one DNS name (CN and SAN), issued by this set's CA and valid now, e.g. for an HTTPS
     * server that must be verified as {@code mta-sts.example.test}. Each call makes a new key.
     *
     * @param dnsName the name the certificate is issued for
     * @return the certificate with its chain and key
     * @throws IllegalArgumentException when {@code dnsName} is blank
     */
    public ServerCertificate issuedFor(String dnsName) {
        if (dnsName == null || dnsName.isBlank()) {
            throw new IllegalArgumentException("dnsName must not be blank");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try {
            return issued("issuedFor(" + dnsName + ")", leaf("CN=" + dnsName, false).addSanDnsName(dnsName)
                    .notBefore(now.minus(Duration.ofDays(1))).notAfter(now.plus(Duration.ofDays(VALID_DAYS))));
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a test certificate for " + dnsName, e);
        }
    }

    /** @return the test CA's certificate */
    public X509Certificate caCertificate() {
        return ca.getCertificate();
    }

    /** @return the test CA's certificate in PEM */
    public String caPem() {
        return ca.getCertificatePEM();
    }

    /** @return a PEM file holding the test CA's certificate, in a temporary directory deleted at JVM exit */
    public Path caPemFile() {
        return caPemFile;
    }

    /** @return a PKCS12 key store holding only the test CA as a trusted certificate */
    public KeyStore trustStore() {
        return trustStore;
    }

    /** @return a trust manager that trusts the test CA and nothing else */
    public X509TrustManager trustManager() {
        return trustManager;
    }

    /**
     * A client SSL context trusting only the test CA, for tests that talk to the fixture with plain JDK sockets.
     *
     * @return a new client context
     */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a client SSL context", e);
        }
    }

    private static CertificateBuilder leaf(String subject, boolean loopbackNames) {
        CertificateBuilder builder = new CertificateBuilder()
                .subject(subject)
                .ecp256()
                .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature)
                .addExtendedKeyUsageServerAuth();
        if (loopbackNames) {
            builder.addSanDnsName("localhost").addSanIpAddress("127.0.0.1").addSanIpAddress("::1");
        }
        return builder;
    }

    private ServerCertificate issued(String name, CertificateBuilder builder) throws Exception {
        X509Bundle bundle = builder.buildIssuedBy(ca);
        return new ServerCertificate(name, List.of(bundle.getCertificate(), ca.getCertificate()),
                bundle.getKeyPair().getPrivate());
    }

    @Override
    public String toString() {
        return "TestCertificates{ca=" + ca.getCertificate().getSubjectX500Principal() + "}";
    }

    /** Lazy, thread-safe creation of the shared set (class initialisation does the locking). */
    private static final class Holder {
        static final TestCertificates SHARED = generate();
    }
}
