package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.BatchResult;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.internal.EventLoops;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import io.netty.util.Version;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The Netty line this suite runs on, and the event-loop path on it with the default transport, as an application
 * uses it. The build names the Netty it put on the test class path ({@code smtpprobe.test.netty}: 4.2 by default,
 * 4.1 with {@code -Pnetty41}), and the first test fails if the JVM runs another, so the 4.1 leg cannot silently
 * run 4.2.
 */
class NettyLineTest {

    private static final TestCertificates CERTS = TestCertificates.shared();

    @AfterAll
    static void stopTheSharedGroup() {
        assertThat(dev.smtpprobe.netty.NettyTransport.shutdownDefault()).isTrue();
    }

    @Test
    void theJvmRunsTheNettyTheBuildPutOnTheClassPath() {
        String wanted = System.getProperty("smtpprobe.test.netty");
        assertThat(wanted).as("smtpprobe.test.netty, set by the build").isNotBlank();
        Map<String, Version> netty = Version.identify(getClass().getClassLoader());

        assertThat(netty).containsKeys("netty-common", "netty-buffer", "netty-transport", "netty-handler");
        netty.forEach((artifact, version) -> {
            if (!artifact.equals("netty-pkitesting")) { // the test certificates' kit: no 4.1 release exists
                assertThat(version.artifactVersion()).as(artifact).isEqualTo(wanted);
            }
        });
        boolean on42 = wanted.startsWith("4.2.");
        assertThat(EventLoops.ioHandlerApi()).isEqualTo(on42);
        if (!on42) {
            assertThatThrownBy(() -> Class.forName("io.netty.channel.nio.NioIoHandler"))
                    .isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    void runAsyncABatchAndAPortSweepAreOkOnTheEventLoops() throws Exception {
        Script plain = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING");
        try (MockSmtpServer first = new MockSmtpServer().start(plain);
             MockSmtpServer second = new MockSmtpServer().start(plain)) {

            ProbeResult async = probe(first.port()).runAsync().get(10, TimeUnit.SECONDS);
            assertThat(async.verdict()).as(async.report()).isEqualTo(Verdict.OK);
            assertThat(Thread.getAllStackTraces().keySet()).as("the shared event loops ran it")
                    .anyMatch(t -> t.getName().startsWith("smtp-probe-netty-"));

            BatchResult batch = SmtpProbe.batch(List.of(probe(first.port()).build(), probe(second.port()).build(),
                    probe(first.port()).build())).concurrency(3).run();
            assertThat(batch.allOk()).as(batch.summary()).isTrue();
            assertThat(batch.results()).hasSize(3);

            ProbeResult sweep = SmtpProbe.to("127.0.0.1").ports(first.port(), second.port()).tls(TlsMode.NONE)
                    .ehloName("probe.test").run();
            assertThat(sweep.portVerdicts()).as(sweep.report())
                    .containsExactly(Map.entry(first.port(), Verdict.OK), Map.entry(second.port(), Verdict.OK));
            ProbeResult asyncSweep = SmtpProbe.to("127.0.0.1").ports(first.port(), second.port()).tls(TlsMode.NONE)
                    .ehloName("probe.test").runAsync().get(10, TimeUnit.SECONDS);
            assertThat(asyncSweep.portVerdicts()).as(asyncSweep.report())
                    .containsExactly(Map.entry(first.port(), Verdict.OK), Map.entry(second.port(), Verdict.OK));

            assertThat(first.connectionCount() + second.connectionCount()).isEqualTo(1 + 3 + 2 + 2);
        }
    }

    @Test
    void startTlsRunsOnTheEventLoops() throws Exception {
        Script startTls = Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .onStartTls(CERTS.valid().tls()).ehloAfterTls("mx.test", "AUTH PLAIN");
        try (MockSmtpServer server = new MockSmtpServer().start(startTls)) {
            ProbeResult result = SmtpProbe.to("127.0.0.1").port(server.port()).tls(TlsMode.STARTTLS_REQUIRED)
                    .trustManager(CERTS.trustManager()).ehloName("probe.test").runAsync().get(10, TimeUnit.SECONDS);

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.tls()).isNotNull();
            assertThat(server.takeConnection(java.time.Duration.ofSeconds(2)).tlsProtocol()).isPresent();
        }
    }

    private static SmtpProbe.Builder probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).tls(TlsMode.NONE).ehloName("probe.test");
    }
}
