package dev.smtpprobe.netty.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A server that answers every RCPT TO with a rejection as large as the reply decoder allows (500 lines of 4 KB,
 * about 2 MiB) must not slow down other probes that share the transport's event loops, and must not make its own
 * result large: the work per reply and the text kept per result are bounded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HugeRejectionsTest {

    /** The healthy probes' deadline: each must be OK well within it. */
    private static final Duration HEALTHY_DEADLINE = Duration.ofSeconds(5);
    private static final int HEALTHY_PROBES = 200;
    private static final int RECIPIENTS = 10;
    /** The documented bound of the text one result holds and renders (README, "Reliability"). */
    private static final int RESULT_TEXT_BOUND = 64 * 1024;

    private NettyTransport transport;
    private MockSmtpServer hostile;
    private MockSmtpServer healthy;

    @BeforeAll
    void servers() {
        // Two event loops for everything: the hostile probe's connection shares a loop with about half of the others.
        transport = NettyTransport.withOwnThreads(2);
        Script script = Script.greeting("220 hostile.test ESMTP");
        for (int i = 0; i < RECIPIENTS; i++) {
            script = script.rcpt(recipient(i), hugeRejection(i));
        }
        hostile = new MockSmtpServer().withoutRecording().start(script);
        healthy = new MockSmtpServer().withoutRecording().start(Script.greeting("220 healthy.test ESMTP"));
        // Warm up (class loading, JIT) so that the test measures the probe's work, not the JVM's start.
        CompletableFuture<ProbeResult> warmUp = hostileProbeAsync(2);
        for (int i = 0; i < 20; i++) {
            healthyProbe().join();
        }
        warmUp.join();
    }

    @AfterAll
    void close() {
        hostile.close();
        healthy.close();
        transport.close();
    }

    private static String recipient(int i) {
        return "user" + i + "@hostile.test";
    }

    /**
     * 500 lines of 4,000 characters of words that name no policy; the words that do ("relaying denied") come only
     * at the very end, where a classifier that reads a bounded prefix never looks.
     */
    static String[] hugeRejection(int seed) {
        String[] lines = new String[500];
        StringBuilder filler = new StringBuilder();
        while (filler.length() < 4000) {
            filler.append("word").append(seed).append(' ');
        }
        for (int i = 0; i < lines.length - 1; i++) {
            lines[i] = "550-5.7.1 " + filler.substring(0, 3990);
        }
        lines[lines.length - 1] = "550 5.7.1 relaying denied";
        return lines;
    }

    private CompletableFuture<ProbeResult> hostileProbeAsync(int recipientCount) {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < recipientCount; i++) {
            recipients.add(recipient(i));
        }
        return SmtpProbe.to("127.0.0.1").port(hostile.port()).tls(TlsMode.NONE).transport(transport)
                .ehloName("probe.test").envelope("probe@probe.test", recipients).confirmTlsMode(false)
                .deadline(Duration.ofSeconds(60)).runAsync();
    }

    private ProbeResult hostileProbe() {
        return hostileProbeAsync(RECIPIENTS).join();
    }

    private CompletableFuture<ProbeResult> healthyProbe() {
        return SmtpProbe.to("127.0.0.1").port(healthy.port()).tls(TlsMode.NONE).transport(transport)
                .ehloName("probe.test").confirmTlsMode(false).deadline(HEALTHY_DEADLINE).runAsync();
    }

    @Test
    void healthyProbesBesideTheHostileOneAreAllOkWithinTheirDeadline() throws Exception {
        CompletableFuture<ProbeResult> hostileResult = hostileProbeAsync(RECIPIENTS);
        // The healthy probes start while the hostile server streams its rejections, 20 at a time.
        List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
        for (int i = 0; i < HEALTHY_PROBES; i++) {
            if (i % 20 == 0) {
                Thread.sleep(50);
            }
            results.add(healthyProbe());
        }
        List<String> late = new ArrayList<>();
        for (CompletableFuture<ProbeResult> f : results) {
            ProbeResult r = f.get(30, TimeUnit.SECONDS);
            if (!r.isOk() || r.elapsed().compareTo(HEALTHY_DEADLINE) > 0) {
                late.add(r.summary());
            }
        }
        assertThat(late).as("healthy probes not OK within %s beside the hostile server", HEALTHY_DEADLINE).isEmpty();

        ProbeResult r = hostileResult.get(60, TimeUnit.SECONDS);
        assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.recipients()).hasSize(RECIPIENTS).allMatch(RecipientResult::isRejected);
    }

    @Test
    void theHostileResultHoldsBoundedText() {
        ProbeResult r = hostileProbe();
        assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(r.recipients()).hasSize(RECIPIENTS);
        long total = ResultText.totalChars(r);
        System.out.printf("hostile result (%d recipients, ~2 MiB rejections): %,d characters across every text"
                + " accessor (summary %,d, detail %,d, report %,d)%n", RECIPIENTS, total, r.summary().length(),
                r.detail().length(), r.report().length());
        assertThat(total).as("characters across every text accessor").isLessThan(RESULT_TEXT_BOUND);
        // The cut is visible where it happened.
        assertThat(r.recipients().get(0).reply().toString()).contains("more bytes");
    }
}
