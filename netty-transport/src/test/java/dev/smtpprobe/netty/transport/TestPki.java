package dev.smtpprobe.netty.transport;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
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

    private static volatile boolean warm;

    /**
     * One JDK-to-JDK handshake on loopback, once per JVM: the cold start of JSSE (class loading, key generation)
     * can take longer than the short handshake timeouts of the tests on a busy machine, and is not what they
     * measure.
     */
    static synchronized void warmJsse() throws Exception {
        if (warm) {
            return;
        }
        try (LoopbackServer server = LoopbackServer.start(serverContext().getServerSocketFactory(),
                s -> ((SSLSocket) s).startHandshake())) {
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, new TrustManager[] {clientTrust()}, null);
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(
                    server.address().getAddress(), server.address().getPort())) {
                socket.startHandshake();
            }
            server.awaitScript();
        }
        warm = true;
    }

    /** The server's SSLContext with the server certificate. */
    static SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = SERVER.toKeyManagerFactory();
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
