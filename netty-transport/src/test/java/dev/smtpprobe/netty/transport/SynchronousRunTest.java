package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.AttemptId;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;
import dev.smtpprobe.testkit.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * Where a probe's work happens, seen through its listener: {@code run()} does everything on the caller's own
 * thread (no hand-off, no event loop), {@code runAsync()} on the transport's event loops.
 */
@org.junit.jupiter.api.extension.ExtendWith(LeakCheck.class)
class SynchronousRunTest {

    /** Records the thread of every phase event. */
    private static final class Threads implements ProbeListener {
        final List<Thread> seen = new CopyOnWriteArrayList<>();

        @Override
        public void phaseStart(ProbeRun probe, Phase phase, AttemptId attempt) {
            seen.add(Thread.currentThread());
        }

        @Override
        public void phaseEnd(ProbeRun probe, Phase phase, AttemptId attempt, Duration duration) {
            seen.add(Thread.currentThread());
        }
    }

    private static SmtpProbe.Builder probe(MockSmtpServer server, Threads threads) {
        return SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.NONE).ehloName("probe.test")
                .connectTimeout(Duration.ofSeconds(2)).greetingTimeout(Duration.ofSeconds(2))
                .replyTimeout(Duration.ofSeconds(2)).listener(threads);
    }

    @Test
    void runDoesTheWholeDialogueOnTheCallersThread() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"))) {
            Threads threads = new Threads();
            ProbeResult result = probe(server, threads).run();

            assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
            assertThat(threads.seen).hasSizeGreaterThanOrEqualTo(6).containsOnly(Thread.currentThread());
        }
    }

    @Test
    void runAsyncDoesItOnAnEventLoop() {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"))) {
            Threads threads = new Threads();
            ProbeResult result = probe(server, threads).runAsync().join();

            assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
            // The connect starts on the caller's thread; the dialogue runs on the event loop.
            assertThat(threads.seen).anyMatch(t -> t.getName().startsWith("smtp-probe-netty"));
        }
    }

    /**
     * Every synchronous STARTTLS probe checks the certificate: the JDK would otherwise resume the TLS session of
     * the previous probe to the same host and port, skipping the check, so a certificate that expired or was
     * replaced since would go unnoticed for the session's lifetime.
     */
    @Test
    void everyTlsProbeChecksTheCertificateAgainNoSessionIsResumed() throws Exception {
        TestCertificates certs = TestCertificates.shared();
        AtomicInteger checks = new AtomicInteger();
        X509TrustManager counting = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                certs.trustManager().checkClientTrusted(chain, authType);
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                checks.incrementAndGet();
                certs.trustManager().checkServerTrusted(chain, authType);
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return certs.trustManager().getAcceptedIssuers();
            }
        };
        Script script = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS").onStartTls(certs.valid().tls());
        try (MockSmtpServer server = new MockSmtpServer().start(script)) {
            SmtpProbe probe = probe(server, new Threads()).tls(TlsMode.STARTTLS_REQUIRED).trustManager(counting)
                    .verifyHostname(false).build();
            for (int i = 1; i <= 3; i++) {
                ProbeResult result = probe.run();
                assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.OK);
                assertThat(checks).as("certificate checks after %d probes", i).hasValue(i);
            }
        }
    }

    /**
     * A sweep of several ports probes them concurrently with {@code run()} too: three silent servers end together at
     * one greeting timeout, not one after another (which would also overrun a deadline shorter than their sum).
     */
    @Test
    void runProbesTheSweepsPortsConcurrently() {
        Duration greeting = Duration.ofMillis(400);
        try (MockSmtpServer a = new MockSmtpServer().start(Script.effect(Effect.STALL));
                MockSmtpServer b = new MockSmtpServer().start(Script.effect(Effect.STALL));
                MockSmtpServer c = new MockSmtpServer().start(Script.effect(Effect.STALL))) {
            long start = System.nanoTime();
            ProbeResult result = SmtpProbe.to("127.0.0.1").ports(a.port(), b.port(), c.port()).tls(TlsMode.NONE)
                    .ehloName("probe.test").connectTimeout(Duration.ofSeconds(2)).greetingTimeout(greeting)
                    .confirmTlsMode(false).deadline(Duration.ofSeconds(5)).run();
            long tookMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(result.attempts()).hasSize(3)
                    .allSatisfy(at -> assertThat(at.verdict()).isEqualTo(Verdict.GREETING_TIMEOUT));
            assertThat(tookMillis).as("three 400 ms greeting timers side by side, not in a row")
                    .isLessThan(3 * greeting.toMillis());
        }
    }
}
