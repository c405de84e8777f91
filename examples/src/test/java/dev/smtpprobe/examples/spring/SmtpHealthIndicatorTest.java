package dev.smtpprobe.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * The health indicator called directly (no Spring context) over real probes of the scripted server on loopback.
 * Every timer guards an answer that comes, so all are generous.
 */
class SmtpHealthIndicatorTest {

    private static final Duration ANSWER = Duration.ofSeconds(5);

    private static SmtpProbe probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).tls(TlsMode.NONE).ehloName("client.test").connectTimeout(ANSWER)
                .greetingTimeout(ANSWER).replyTimeout(ANSWER).deadline(Duration.ofSeconds(15)).build();
    }

    @Test
    void upWhenTheServerAnswers() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"))) {

            Health health = new SmtpHealthIndicator(probe(server.port())).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("verdict", "OK").containsEntry("layer", "NONE")
                    .containsEntry("target", "127.0.0.1").containsEntry("remote", "127.0.0.1:" + server.port())
                    .containsEntry("hints", List.of()).containsKeys("detail", "nextAction", "elapsedMs", "phase");
        }
    }

    @Test
    void downWithTheDiagnosisWhenNothingListens() {
        int port = Ports.closed();

        Health health = new SmtpHealthIndicator(probe(port)).health();

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        Map<String, Object> d = health.getDetails();
        assertThat(d).containsEntry("verdict", "CONNECTION_REFUSED").containsEntry("layer", "TCP")
                .containsEntry("phase", "CONNECT");
        assertThat((String) d.get("detail")).contains("refused");
        assertThat((String) d.get("nextAction")).contains("ss -tlnp");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> hints = (List<Map<String, Object>>) d.get("hints");
        assertThat(hints).extracting(h -> h.get("code")).contains("LOCAL_LISTENER", "REJECT_VS_DROP");
        assertThat(hints.get(0)).containsKeys("message", "evidence");
    }

    @Test
    void downOnARejectionWithItsPolicyHint() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting(
                "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"))) {

            Health health = new SmtpHealthIndicator(probe(server.port())).health();

            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("verdict", "SMTP_PERMANENT_REJECTION")
                    .containsEntry("layer", "SMTP");
            assertThat(health.getDetails().get("hints").toString()).contains("BLOCKLIST_IN_REPLY");
        }
    }
}
