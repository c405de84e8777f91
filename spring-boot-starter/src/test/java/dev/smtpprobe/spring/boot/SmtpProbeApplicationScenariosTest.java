package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.ServerTls;
import dev.smtpprobe.testkit.TestCertificates;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application of {@link SmtpProbeApplicationTest}, started once per server behaviour: what
 * {@code /actuator/health/smtpProbe} answers, and how fast, when the server refuses, rejects the credentials, shows
 * an expired certificate or says nothing; and the startup that {@code preflight=fail} stops.
 */
@ExtendWith(OutputCaptureExtension.class)
class SmtpProbeApplicationScenariosTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final MockSmtpServer server = new MockSmtpServer();
    private ConfigurableApplicationContext app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        server.close();
    }

    private static Script startTls(ServerTls tls) {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS")
                .ehloAfterTls("mx.test", "AUTH PLAIN LOGIN").onStartTls(tls);
    }

    @Test
    void aRefusedConnectionIsDownWithTheVerdictAndNextAction() {
        app = Scenarios.start("spring.mail.host=127.0.0.1", "spring.mail.port=" + Ports.closed());

        Http.Response health = Scenarios.awaitHealth(Scenarios.port(app), "DOWN", WAIT);

        assertThat(health.status()).isEqualTo(503);
        assertThat(health.field("verdict")).isEqualTo("CONNECTION_REFUSED");
        assertThat(health.field("layer")).isEqualTo("TCP");
        assertThat(health.field("nextAction")).isNotBlank();
        assertThat(health.body()).contains("\"hints\"");
    }

    @Test
    void rejectedCredentialsAreDownAtTheAuthLayerAndThePasswordIsNowhere(CapturedOutput output) {
        server.start(startTls(CERTS.valid().tls()).onAuth("535 5.7.8 Username and Password not accepted"));
        app = Scenarios.start("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "spring.mail.username=app@example.test", "spring.mail.password=not-the-pa55word",
                "spring.mail.properties.mail.smtp.starttls.enable=true",
                "spring.mail.properties.mail.smtp.starttls.required=true");

        Http.Response health = Scenarios.awaitHealth(Scenarios.port(app), "DOWN", WAIT);

        assertThat(health.field("verdict")).as(health.body()).isEqualTo("AUTH_FAILED");
        assertThat(health.field("layer")).isEqualTo("AUTH");
        assertThat(health.body()).contains("AUTH_NOT_NETWORK").doesNotContain("not-the-pa55word");
        assertThat(output.getAll()).as("the pre-flight's warning").contains("AUTH_FAILED")
                .doesNotContain("not-the-pa55word");
    }

    @Test
    void anExpiredCertificateIsDownAndTheGaugeCountsDaysPastExpiry() {
        server.start(startTls(CERTS.expired().tls()));
        app = Scenarios.start("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "spring.mail.properties.mail.smtp.starttls.enable=true");

        Http.Response health = Scenarios.awaitHealth(Scenarios.port(app), "DOWN", WAIT);

        assertThat(health.field("verdict")).as(health.body()).isEqualTo("CERTIFICATE_INVALID");
        assertThat(health.field("layer")).isEqualTo("TLS");
        assertThat(health.body()).containsPattern("\"certificateDaysToExpiry\"\\s*:\\s*-\\d+");
        assertThat(Http.get(Scenarios.port(app), "/actuator/metrics/" + SmtpProbeMetrics.CERTIFICATE_EXPIRY).body())
                .containsPattern("\"value\"\\s*:\\s*-\\d");
    }

    @Test
    void aSilentServerNeverMakesHealthWaitAndIsDownAfterTheBudget() {
        server.start(Script.noGreeting());
        Duration budget = Duration.ofSeconds(2);
        app = Scenarios.start("spring.mail.host=127.0.0.1", "spring.mail.port=" + server.port(),
                "smtp-probe.budget=" + budget.toMillis() + "ms");
        int port = Scenarios.port(app);

        Http.Response first = Http.get(port, "/actuator/health/smtpProbe");
        for (int i = 0; i < 20; i++) {
            long start = System.nanoTime();
            Http.get(port, "/actuator/health/smtpProbe");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        }
        Http.Response down = Scenarios.awaitHealth(port, "DOWN", budget.plus(WAIT));

        assertThat(first.field("status")).as(first.body()).isEqualTo("UNKNOWN");
        assertThat(down.field("verdict")).isEqualTo("GREETING_TIMEOUT");
        assertThat(server.connectionCount()).as("one probe for every health call").isEqualTo(1);
    }

    @Test
    void preflightFailStopsTheStartupWithTheReportAndTheAction(CapturedOutput output) {
        int closed = Ports.closed();

        assertThatThrownBy(() -> Scenarios.startWithoutWeb("spring.mail.host=127.0.0.1",
                "spring.mail.port=" + closed, "smtp-probe.preflight=fail"))
                .isInstanceOf(SmtpProbePreflightException.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("failed the pre-flight probe: CONNECTION_REFUSED")
                .contains("127.0.0.1:" + closed)
                .contains("smtp-probe.preflight=warn");
    }

    @Test
    void preflightFailPutsTheConfigurationFindingsFirstInTheReportAndTheAction(CapturedOutput output) {
        int closed = Ports.closed();

        assertThatThrownBy(() -> Scenarios.startWithoutWeb("spring.mail.host=127.0.0.1",
                "spring.mail.port=" + closed, "spring.mail.properties.mail.smtp.connecttimeout=5000",
                "smtp-probe.preflight=fail"))
                .isInstanceOf(SmtpProbePreflightException.class);

        String text = output.getAll();
        int description = text.indexOf("failed the pre-flight probe: CONNECTION_REFUSED");
        int finding = text.indexOf("  - [UNKNOWN_KEY] mail.smtp.connecttimeout=5000", description);
        assertThat(description).as(text).isPositive();
        assertThat(finding).as(text).isGreaterThan(description);
        assertThat(text.indexOf("Source IP:", description)).isGreaterThan(finding);
        int action = text.indexOf("Action:", finding);
        assertThat(action).isGreaterThan(finding);
        assertThat(text.indexOf("- mail.smtp.connecttimeout: Rename it to mail.smtp.connectiontimeout.", action))
                .as(text).isGreaterThan(action);
    }
}
