package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Health status and details of real probe results. */
class HealthViewTest {

    private static ProbeResult probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).tls(TlsMode.NONE).run();
    }

    private static HealthView view(ProbeResult result) {
        return HealthView.of(new SmtpProbeMonitor.Snapshot(result, Instant.parse("2026-01-02T03:04:05Z"), false),
                "127.0.0.1");
    }

    @Test
    void aHealthyServerIsUp() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"))) {
            HealthView view = view(probe(server.port()));

            assertThat(view.status()).isEqualTo("UP");
            assertThat(view.details()).containsEntry("verdict", "OK").containsEntry("layer", "NONE")
                    .containsEntry("remote", "127.0.0.1:" + server.port())
                    .containsEntry("checkedAt", "2026-01-02T03:04:05Z").containsEntry("refreshing", false)
                    .containsEntry("target", "127.0.0.1").containsEntry("hints", List.of())
                    .containsEntry("configFindings", List.of())
                    .containsKeys("detail", "nextAction", "elapsedMs", "phase");
        }
    }

    @Test
    void aRefusedConnectionIsDownWithVerdictLayerNextActionAndHints() {
        int port = Ports.closed();
        ProbeResult result = probe(port);
        HealthView view = view(result);

        assertThat(view.status()).isEqualTo("DOWN");
        assertThat(view.details()).containsEntry("verdict", "CONNECTION_REFUSED").containsEntry("layer", "TCP")
                .containsEntry("phase", "CONNECT")
                .containsEntry("nextAction", Verdict.CONNECTION_REFUSED.nextAction())
                .containsKeys("detail", "elapsedMs", "hints", "target");
        assertThat((List<?>) view.details().get("hints")).hasSameSizeAs(result.hints());
        for (Object hint : (List<?>) view.details().get("hints")) {
            assertThat(List.copyOf(((Map<?, ?>) hint).keySet())).isEqualTo(List.of("code", "message", "evidence"));
        }
        assertThat((String) view.details().get("detail")).contains("refused");
        assertThat((String) view.details().get("nextAction")).contains("ss -tlnp");
        assertThat(((List<?>) view.details().get("hints")).stream().map(h -> (Object) ((Map<?, ?>) h).get("code")).toList())
                .contains("LOCAL_LISTENER", "REJECT_VS_DROP");
    }

    @Test
    void aRejectionIsDownWithItsPolicyHint() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting(
                "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"))) {
            HealthView view = view(probe(server.port()));

            assertThat(view.status()).isEqualTo("DOWN");
            assertThat(view.details()).containsEntry("verdict", "SMTP_PERMANENT_REJECTION")
                    .containsEntry("layer", "SMTP");
            assertThat(view.details().get("hints").toString()).contains("BLOCKLIST_IN_REPLY");
        }
    }

    @Test
    void greylistingIsUnknownNotDown() {
        try (MockSmtpServer server = new MockSmtpServer()
                .start(Script.greeting("421 4.7.0 mx.test greylisted, try again later"))) {
            ProbeResult result = probe(server.port());
            HealthView view = view(result);

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.SMTP_TRANSIENT_REJECTION);
            assertThat(view.status()).isEqualTo("UNKNOWN");
            assertThat(view.details()).containsEntry("verdict", "SMTP_TRANSIENT_REJECTION");
        }
    }

    @Test
    void beforeTheFirstResultItIsUnknownAndSaysSo() {
        HealthView view = HealthView.of(new SmtpProbeMonitor.Snapshot(null, null, true), "mail.example.test");

        assertThat(view.status()).isEqualTo("UNKNOWN");
        assertThat(view.details()).containsEntry("target", "mail.example.test").containsEntry("refreshing", true)
                .containsKey("state").doesNotContainKey("verdict");
    }

    @Test
    void everyVerdictButOkAndTransientRejectionIsDown() {
        for (Verdict verdict : Verdict.values()) {
            String expected = verdict == Verdict.OK ? "UP" : verdict == Verdict.SMTP_TRANSIENT_REJECTION ? "UNKNOWN" : "DOWN";
            assertThat(HealthView.status(verdict)).as(verdict.name()).isEqualTo(expected);
        }
    }
}
