package dev.smtpprobe.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The meters of real probes of scripted servers on loopback, with the listener used directly (no Spring context)
 * and a common tag. Every timer guards an answer that comes, so all are generous.
 */
class SmtpProbeMetricsTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Duration ANSWER = Duration.ofSeconds(5);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private SmtpProbe.Builder probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).trustManager(CERTS.trustManager()).ehloName("client.test")
                .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER).deadline(Duration.ofSeconds(15))
                .listener(new SmtpProbeMetrics(registry, Tags.of("target", "mail")));
    }

    private double results(String verdict, String layer) {
        Counter c = registry.find(SmtpProbeMetrics.RESULTS).tags("verdict", verdict, "layer", layer, "target", "mail")
                .counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anOkProbeTimesEveryPhaseAndCountsOneOk() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP")
                .ehlo("mx.test", "STARTTLS").onStartTls(CERTS.valid().tls()))) {

            ProbeResult result = probe(server.port()).tls(TlsMode.STARTTLS_REQUIRED).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(results("ok", "none")).isEqualTo(1.0);
            for (String phase : new String[] {"connect", "greeting", "ehlo", "starttls", "quit"}) {
                Timer t = registry.find(SmtpProbeMetrics.PHASE_TIMER)
                        .tags("phase", phase, "outcome", "ok", "verdict", "none", "target", "mail").timer();
                assertThat(t).as(phase).isNotNull();
                assertThat(t.count()).as(phase).isEqualTo(1);
            }
            Timer probe = registry.find(SmtpProbeMetrics.PROBE_TIMER).tags("verdict", "ok", "layer", "none").timer();
            assertThat(probe.count()).isEqualTo(1);
            assertThat(probe.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(result.elapsed().toNanos());
            assertThat(registry.find(SmtpProbeMetrics.PHASE_TIMER).tag("outcome", "failed").timers()).isEmpty();
            assertThat(registry.get(SmtpProbeMetrics.CERTIFICATE_EXPIRY).tag("target", "mail").gauge().value())
                    .isEqualTo(result.tls().leaf().daysToExpiry());
        }
    }

    @Test
    void failuresAreCountedByVerdictAndLayer() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP")
                .on("EHLO", "550 5.7.1 Client host rejected: access denied"))) {
            int closed = Ports.closed();

            probe(closed).tls(TlsMode.NONE).run();
            probe(closed).tls(TlsMode.NONE).run();
            ProbeResult rejected = probe(server.port()).tls(TlsMode.NONE).run();

            assertThat(rejected.verdict()).as(rejected.report()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
            assertThat(results("connection_refused", "tcp")).isEqualTo(2.0);
            assertThat(results("smtp_permanent_rejection", "smtp")).isEqualTo(1.0);
            assertThat(results("ok", "none")).isZero();
            Timer refusedConnect = registry.find(SmtpProbeMetrics.PHASE_TIMER)
                    .tags("phase", "connect", "outcome", "failed", "verdict", "connection_refused").timer();
            assertThat(refusedConnect.count()).isEqualTo(2);
            Timer rejectedEhlo = registry.find(SmtpProbeMetrics.PHASE_TIMER)
                    .tags("phase", "ehlo", "outcome", "failed", "verdict", "smtp_permanent_rejection").timer();
            assertThat(rejectedEhlo.count()).isEqualTo(1);
        }
    }
}
