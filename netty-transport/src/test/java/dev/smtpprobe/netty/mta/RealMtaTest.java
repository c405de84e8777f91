package dev.smtpprobe.netty.mta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.spi.Transport;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The probe against real mail servers on loopback: Postfix and Exim, each started by the test with its own
 * configuration and a certificate from a test CA. Asserts OK in plain text and with STARTTLS, a certificate
 * verdict with the JDK's default trust store, a real policy rejection, and that the capabilities the probe
 * reports are exactly those the server advertised.
 */
class RealMtaTest {

    // No case here waits for a timer to fire; Postfix's master spawns an smtpd per connection, which on a loaded
    // 2-core machine took over 500 ms to greet.
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path tmp;
    static MtaCertificates certs;
    static final List<MailServer> SERVERS = new ArrayList<>();

    @BeforeAll
    static void startServers() throws IOException {
        Assumptions.assumeTrue(ServiceLoader.load(Transport.class).findFirst().isPresent(),
                "no Transport implementation on the test class path");
        // Before anything needs openssl or root: without the servers, each test skips itself with the reason.
        if (!MtaSupport.anyServerCanRun()) {
            return;
        }
        certs = MtaCertificates.create(tmp.resolve("certs"));
        if (PostfixServer.unavailableReason().isEmpty()) {
            SERVERS.add(PostfixServer.start(certs));
        }
        if (EximServer.unavailableReason().isEmpty()) {
            SERVERS.add(EximServer.start(certs, false));
        }
    }

    @AfterAll
    static void stopServers() {
        SERVERS.forEach(MailServer::close);
        SERVERS.clear();
    }

    static Stream<String> servers() {
        return Stream.of("Postfix", "Exim");
    }

    private static MailServer server(String name) {
        if (name.equals("Postfix")) {
            PostfixServer.assumeAvailable();
        } else {
            EximServer.assumeAvailable();
        }
        return SERVERS.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static SmtpProbe.Builder probe(MailServer server) {
        return SmtpProbe.to(server.host()).port(server.port()).ehloName("probe.test")
                .connectTimeout(TIMEOUT).greetingTimeout(TIMEOUT).replyTimeout(TIMEOUT)
                .deadline(Duration.ofSeconds(5)).confirmTlsMode(false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void plainSessionIsOkWithTheCapabilitiesTheServerAdvertises(String name) throws IOException {
        MailServer server = server(name);
        ProbeResult r = probe(server).tls(TlsMode.NONE).run();
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.OK);
        assertThat(r.greeting().code()).isEqualTo(220);
        assertThat(r.greeting().text()).contains("mta.test ESMTP " + name);
        // What the server said to EHLO over a plain socket, keyword by keyword, in its order.
        List<String> advertised = server.rawSession().lines()
                .filter(l -> l.startsWith("250-") || l.startsWith("250 ")).skip(1)
                .map(l -> l.substring(4)).toList();
        assertThat(r.capabilities().extensions()).isEqualTo(advertised);
        if (name.equals("Postfix")) {
            assertThat(advertised).contains("PIPELINING", "SIZE 10240000", "STARTTLS", "ENHANCEDSTATUSCODES",
                    "8BITMIME", "DSN", "SMTPUTF8", "CHUNKING");
        } else {
            assertThat(advertised).contains("SIZE 52428800", "8BITMIME", "PIPELINING", "CHUNKING", "STARTTLS",
                    "SMTPUTF8", "HELP");
        }
        assertThat(r.capabilities().startTls()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void startTlsWithTheTestCaIsOk(String name) {
        MailServer server = server(name);
        ProbeResult r = probe(server).tls(TlsMode.STARTTLS_REQUIRED).trustedCertificates(certs.caCert()).run();
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.OK);
        assertThat(r.tls()).isNotNull();
        assertThat(r.tls().protocol()).isIn("TLSv1.3", "TLSv1.2");
        assertThat(r.tls().leaf().subject()).contains("CN=localhost");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void startTlsWithTheDefaultTrustStoreIsCertificateInvalid(String name) {
        MailServer server = server(name);
        ProbeResult r = probe(server).tls(TlsMode.STARTTLS_REQUIRED).run();
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(r.detail()).containsIgnoringCase("untrusted");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void expiredCertificateIsCertificateInvalid(String name) throws IOException {
        ProbeResult r = probeWithExpiredCertificate(name);
        assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.CERTIFICATE_INVALID);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void expiredCertificateDetailSaysExpired(String name) throws IOException {
        ProbeResult r = probeWithExpiredCertificate(name);
        assertThat(r.detail()).as(r.report()).containsIgnoringCase("expired");
    }

    /** A server with the testkit's expired certificate (issued by the trusted test CA), probed with STARTTLS. */
    private static ProbeResult probeWithExpiredCertificate(String name) throws IOException {
        server(name);
        TestCertificates kit = TestCertificates.shared();
        MtaCertificates expired = MtaCertificates.write(tmp.resolve("expired-" + name + System.nanoTime()), kit,
                kit.expired());
        try (MailServer server = name.equals("Postfix") ? PostfixServer.start(expired)
                : EximServer.start(expired, false)) {
            return probe(server).tls(TlsMode.STARTTLS_REQUIRED).trustedCertificates(expired.caCert()).run();
        }
    }

    @Test
    void postfixClientRejectIsAPermanentRejectionAtTheGreeting() throws IOException {
        PostfixServer.assumeAvailable();
        try (PostfixServer postfix = PostfixServer.start(certs, "smtpd_client_restrictions = reject",
                "smtpd_delay_reject = no")) {
            ProbeResult r = probe(postfix).tls(TlsMode.NONE).run();
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(r.phase()).isEqualTo(Phase.GREETING);
            assertThat(r.greeting().code()).isEqualTo(554);
            assertThat(r.greeting().text()).contains("Client host rejected: Access denied");
        }
    }

    @Test
    void eximConnectAclRejectIsAPermanentRejectionAtTheGreeting() throws IOException {
        EximServer.assumeAvailable();
        try (EximServer exim = EximServer.start(certs, true)) {
            ProbeResult r = probe(exim).tls(TlsMode.NONE).run();
            assertThat(r.verdict()).as(r.report()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(r.phase()).isEqualTo(Phase.GREETING);
            assertThat(r.greeting().code()).isEqualTo(550);
            assertThat(r.greeting().text()).contains("Client host rejected: smtp-probe test policy");
        }
    }
}
