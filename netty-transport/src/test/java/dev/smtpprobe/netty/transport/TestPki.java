package dev.smtpprobe.netty.transport;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Certificates made at test time: a root CA and a server certificate for "localhost" and 127.0.0.1. */
final class TestPki {

    static final X509Bundle ROOT;
    static final X509Bundle SERVER;

    static {
        try {
            Instant now = Instant.now();
            ROOT = new CertificateBuilder().subject("CN=smtp-probe test root").setIsCertificateAuthority(true)
                    .notBefore(now.minus(1, ChronoUnit.DAYS)).notAfter(now.plus(1, ChronoUnit.DAYS))
                    .ecp256().buildSelfSigned();
            SERVER = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
                    .addSanIpAddress("127.0.0.1").notBefore(now.minus(1, ChronoUnit.DAYS))
                    .notAfter(now.plus(1, ChronoUnit.DAYS)).ecp256().buildIssuedBy(ROOT);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TestPki() {
    }

    /** A trust manager that trusts the test root only. */
    static X509TrustManager clientTrust() {
        for (TrustManager tm : ROOT.toTrustManagerFactory().getTrustManagers()) {
            if (tm instanceof X509TrustManager) {
                return (X509TrustManager) tm;
            }
        }
        throw new AssertionError("no X509TrustManager");
    }

    /** The server's SSLContext with the server certificate. */
    static SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = SERVER.toKeyManagerFactory();
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
