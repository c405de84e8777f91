package dev.smtpprobe.netty.mailprops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.ConfigFinding.Code;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.Layer;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerCertificate;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SmtpProbe#fromMailProperties} end to end: a properties file as an application ships it, read, linted and
 * probed against a scripted server on loopback, with real TLS and the testkit's certificates (which the JDK's
 * default trust does not know, as an internal relay's often are not).
 */
@ExtendWith(LeakCheck.class)
class MailPropertiesProbeTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Duration WAIT = Duration.ofSeconds(2);
    /** Bounded timeouts and a fixed EHLO name, as a careful application sets them. */
    private static final String CAREFUL = """
            mail.smtp.host=127.0.0.1
            mail.smtp.connectiontimeout=3000
            mail.smtp.timeout=3000
            mail.smtp.writetimeout=3000
            mail.smtp.localhost=probe.test
            """;

    @TempDir
    Path dir;
    private MockSmtpServer server;

    @AfterEach
    void closeServer() {
        if (server != null) {
            server.close();
        }
    }

    private Properties file(String text) throws IOException {
        Path file = dir.resolve("mail.properties");
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            properties.load(in);
        }
        return properties;
    }

    /** {@link SmtpProbe#fromMailProperties} on a host that is no container, whatever machine runs the test. */
    private SmtpProbe.Builder fromFile(String text) throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        return SmtpProbe.fromMailProperties(file(text), HostEnvironment.rootedAt(root, Map.of(), List.of()));
    }

    private static Script startTls(ServerCertificate certificate) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS")
                .onStartTls(certificate.tls());
    }

    private static List<Code> codes(List<ConfigFinding> findings) {
        return findings.stream().map(ConfigFinding::code).toList();
    }

    private RecordedConnection onlyConnection() {
        assertThat(server.connectionCount()).isEqualTo(1);
        RecordedConnection connection = server.connections().get(0);
        assertThat(connection.awaitClosed(WAIT)).isTrue();
        return connection;
    }

    @Test
    void theMisspeltConnectTimeoutIsReportedThenTheProbeRuns() throws IOException {
        server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));
        SmtpProbe probe = fromFile("""
                mail.smtp.host=127.0.0.1
                mail.smtp.port=%d
                mail.smtp.connecttimeout=5000
                mail.smtp.timeout=3000
                mail.smtp.writetimeout=3000
                mail.smtp.localhost=probe.test
                """.formatted(server.port())).build();

        List<ConfigFinding> findings = probe.configFindings();
        assertThat(findings).extracting(ConfigFinding::code, ConfigFinding::key).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Code.UNKNOWN_KEY, "mail.smtp.connecttimeout"),
                org.assertj.core.groups.Tuple.tuple(Code.TIMEOUT_MISSING, "mail.smtp.connectiontimeout"));
        assertThat(findings.get(0).fix()).isEqualTo("Rename it to mail.smtp.connectiontimeout.");
        assertThat(findings.get(1).why()).contains("infinite");
        assertThat(probe.connectTimeout()).as("bounded although the application's is not")
                .isEqualTo(SmtpProbe.DEFAULT_CONNECT_TIMEOUT);

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(onlyConnection().commands()).containsExactly("EHLO probe.test", "QUIT");
    }

    @Test
    void starttlsOn587StyleWithTrustStarPassesAsTheApplicationDoesAndReportsTheUntrustedCertificate()
            throws IOException {
        server = new MockSmtpServer().start(startTls(CERTS.valid()));
        SmtpProbe probe = fromFile(CAREFUL + """
                mail.smtp.port=%d
                mail.smtp.starttls.enable=true
                mail.smtp.ssl.trust=*
                """.formatted(server.port())).build();
        assertThat(codes(probe.configFindings())).containsExactly(Code.TRUST_ALL);

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(result.tls()).isNotNull();
        assertThat(onlyConnection().tlsProtocol()).isPresent();
        assertThat(codes(probe.configFindings())).containsExactly(Code.TRUST_ALL, Code.CERTIFICATE_ACCEPTED_BY_TRUST);
        assertThat(probe.configFindings().get(1).why()).contains("not trusted");
    }

    @Test
    void withoutTheTrustSettingTheSameServerIsACertificateProblemAsForTheApplication() throws IOException {
        server = new MockSmtpServer().start(startTls(CERTS.valid()));
        SmtpProbe probe = fromFile(CAREFUL + """
                mail.smtp.port=%d
                mail.smtp.starttls.enable=true
                """.formatted(server.port())).build();

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(probe.configFindings()).isEmpty();
    }

    @Test
    void anExpiredCertificateTrustedByTheHostListIsReportedWithItsDate() throws IOException {
        server = new MockSmtpServer().start(startTls(CERTS.expired()));
        SmtpProbe probe = fromFile(CAREFUL + """
                mail.smtp.port=%d
                mail.smtp.starttls.enable=true
                mail.smtp.starttls.required=true
                mail.smtp.ssl.trust=relay.internal 127.0.0.1
                """.formatted(server.port())).build();

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(probe.configFindings()).filteredOn(f -> f.code() == Code.CERTIFICATE_ACCEPTED_BY_TRUST)
                .singleElement().extracting(ConfigFinding::why).asString().contains("expired");
    }

    @Test
    void trustStarStillChecksTheHostNameAsAngusMail2Does() throws IOException {
        server = new MockSmtpServer().start(startTls(CERTS.wrongHost()));
        SmtpProbe probe = fromFile(CAREFUL + """
                mail.smtp.port=%d
                mail.smtp.starttls.enable=true
                mail.smtp.ssl.trust=*
                """.formatted(server.port())).build();

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CERTIFICATE_INVALID);
        assertThat(result.detail()).contains(TestCertificates.WRONG_HOST);
    }

    @Test
    void identityCheckOffAcceptsTheWrongHostAndReportsIt() throws IOException {
        server = new MockSmtpServer().start(startTls(CERTS.wrongHost()));
        SmtpProbe probe = fromFile(CAREFUL + """
                mail.smtp.port=%d
                mail.smtp.starttls.enable=true
                mail.smtp.ssl.trust=*
                mail.smtp.ssl.checkserveridentity=false
                """.formatted(server.port())).build();

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(codes(probe.configFindings())).contains(Code.SERVER_IDENTITY_NOT_CHECKED, Code.TRUST_ALL,
                Code.CERTIFICATE_ACCEPTED_BY_TRUST);
        assertThat(probe.configFindings().toString()).contains("not 127.0.0.1");
    }

    @Test
    void smtpsIsImplicitTlsFromTheFirstByte() throws IOException {
        server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.valid().tls())
                .ehlo("mx.test", "PIPELINING"));
        SmtpProbe probe = fromFile(CAREFUL.replace("mail.smtp.", "mail.smtps.") + """
                mail.transport.protocol=smtps
                mail.smtps.port=%d
                mail.smtps.ssl.trust=127.0.0.1
                """.formatted(server.port())).build();
        assertThat(probe.tlsMode()).isEqualTo(TlsMode.IMPLICIT);

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(result.attempts()).singleElement().extracting(a -> a.tlsMode()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(onlyConnection().tlsProtocol()).isPresent();
    }

    @Test
    void aClosedPortIsRefusedAfterTheFindings() throws IOException {
        int closed = Ports.closed();
        SmtpProbe probe = fromFile(CAREFUL + """
                mail.smtp.port=%d
                mail.smtp.auth=true
                """.formatted(closed)).build();
        assertThat(codes(probe.configFindings())).containsExactly(Code.AUTH_WITHOUT_USER);

        ProbeResult result = probe.run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(result.layer()).isEqualTo(Layer.TCP);
    }
}
