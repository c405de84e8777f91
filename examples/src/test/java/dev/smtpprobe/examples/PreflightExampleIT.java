package dev.smtpprobe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.examples.cli.JarProcess;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PreflightExample} run as an application would run it, against a scripted relay on 127.0.0.1. */
class PreflightExampleIT {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Script RELAY = Script.greeting("220 relay.test ESMTP")
            .ehlo("relay.test", "PIPELINING", "STARTTLS", "AUTH PLAIN LOGIN");

    /** The test CA as a PEM file of this class's own, which nothing else on the machine can clean away. */
    @TempDir
    static Path tmp;

    private MockSmtpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private Map<String, String> relay(Script script) {
        server = new MockSmtpServer().start(script);
        return Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", String.valueOf(server.port()),
                "SMTP_CA_FILE", JarProcess.pemFile(tmp, CERTS.caPem()).toString());
    }

    @Test
    void aWorkingRelayLetsTheApplicationStart() {
        JarProcess.Run run = JarProcess.main(PreflightExample.class.getName(),
                relay(RELAY.onStartTls(CERTS.valid().tls())));

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).startsWith("preflight: OK 127.0.0.1:").contains("application started");
        assertThat(run.stderr()).isEmpty();
    }

    @Test
    void aRelayWithoutStartTlsStopsTheStartWithTheReport() {
        JarProcess.Run run = JarProcess.main(PreflightExample.class.getName(),
                relay(Script.greeting("220 relay.test ESMTP").ehlo("relay.test", "PIPELINING", "AUTH PLAIN LOGIN")));

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stdout()).doesNotContain("application started");
        assertThat(run.stderr()).contains("STARTTLS_UNAVAILABLE")
                .contains("preflight: mail relay check failed (STARTTLS_UNAVAILABLE); not starting");
    }

    @Test
    void warnOnlyReportsAndStartsAnyway() {
        JarProcess.Run run = JarProcess.main(PreflightExample.class.getName(),
                relay(RELAY.onStartTls(CERTS.expired().tls())), "--warn-only");

        assertThat(run.exit()).isZero();
        assertThat(run.stderr()).contains("CERTIFICATE_INVALID")
                .contains("preflight: WARNING mail relay check failed (CERTIFICATE_INVALID); starting anyway");
        assertThat(run.stdout()).contains("application started");
    }

    @Test
    void aRejectedPasswordStopsTheStartAndIsNeverPrinted() {
        Map<String, String> env = new java.util.HashMap<>(relay(RELAY.onStartTls(CERTS.valid().tls())
                .onAuth("535 5.7.8 Authentication credentials invalid")));
        env.put("SMTP_USERNAME", "app@example.test");
        env.put("SMTP_PASSWORD", "pre-flight-Secret-77");

        JarProcess.Run run = JarProcess.main(PreflightExample.class.getName(), env);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("AUTH_FAILED").contains("preflight: mail relay check failed (AUTH_FAILED)");
        assertThat(run.stdout() + run.stderr()).doesNotContain("pre-flight-Secret-77");
    }

    @Test
    void acceptedCredentialsLetTheApplicationStart() {
        Map<String, String> env = new java.util.HashMap<>(relay(RELAY.onStartTls(CERTS.valid().tls())
                .onAuth("235 2.7.0 Authentication successful")));
        env.put("SMTP_USERNAME", "app@example.test");
        env.put("SMTP_PASSWORD", "pre-flight-Secret-77");

        JarProcess.Run run = JarProcess.main(PreflightExample.class.getName(), env);

        assertThat(run.exit()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("application started");
    }

    @Test
    void badConfigurationIsNamed() {
        JarProcess.Run run = JarProcess.main(PreflightExample.class.getName(),
                Map.of("SMTP_HOST", "127.0.0.1", "SMTP_PORT", "smtp"));

        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.stderr()).startsWith("preflight: bad mail relay configuration:");
    }
}
