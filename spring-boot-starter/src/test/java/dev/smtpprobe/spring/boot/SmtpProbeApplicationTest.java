package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A real Spring Boot application with the starter and the actuator, on a random port, against a healthy server on
 * loopback: health, the liveness group and metrics over HTTP.
 */
@SpringBootTest(classes = MailApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.endpoint.health.show-details=always",
                "management.endpoint.health.probes.enabled=true",
                "management.endpoints.web.exposure.include=health,metrics"})
class SmtpProbeApplicationTest {

    private static final MockSmtpServer SERVER = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"));

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "127.0.0.1");
        registry.add("spring.mail.port", SERVER::port);
    }

    @AfterAll
    static void stop() {
        SERVER.close();
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void healthIsUpWithTheDiagnosisAndTheServerSeesOneProbe() throws InterruptedException {
        Http.Response health = Scenarios.awaitHealth(port, "UP", Duration.ofSeconds(10));

        assertThat(health.field("verdict")).isEqualTo("OK");
        assertThat(health.field("layer")).isEqualTo("NONE");
        assertThat(health.field("remote")).isEqualTo("127.0.0.1:" + SERVER.port());
        for (int i = 0; i < 50; i++) {
            assertThat(Http.get(port, "/actuator/health/smtpProbe").status()).isEqualTo(200);
        }
        assertThat(SERVER.connectionCount()).as("the pre-flight's probe serves every health call").isEqualTo(1);
        assertThat(Http.get(port, "/actuator/health").body()).contains("\"smtpProbe\"");
    }

    @Test
    void theLivenessGroupLeavesMailOut() {
        Http.Response liveness = Http.get(port, "/actuator/health/liveness");

        assertThat(liveness.status()).isEqualTo(200);
        assertThat(liveness.body()).doesNotContain("smtpProbe");
        assertThat(Http.get(port, "/actuator/health/readiness").body()).doesNotContain("smtpProbe");
    }

    @Test
    void metricsAreTaggedByVerdictAndLayer() {
        Scenarios.awaitHealth(port, "UP", Duration.ofSeconds(10));

        Http.Response results = Http.get(port, "/actuator/metrics/" + SmtpProbeMetrics.RESULTS);
        assertThat(results.status()).isEqualTo(200);
        assertThat(results.body()).contains("\"verdict\"").contains("\"ok\"").contains("\"layer\"").contains("\"none\"");
        assertThat(Http.get(port, "/actuator/metrics/" + SmtpProbeMetrics.PROBE_TIMER).status()).isEqualTo(200);
        assertThat(Http.get(port, "/actuator/metrics/" + SmtpProbeMetrics.PHASE_TIMER).status()).isEqualTo(200);
        assertThat(Http.get(port, "/actuator/metrics/" + SmtpProbeMetrics.CERTIFICATE_EXPIRY).status())
                .isEqualTo(200);
    }
}
