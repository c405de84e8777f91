package dev.smtpprobe.netty.mx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.AttemptId;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import dev.smtpprobe.testkit.dns.MockDnsServer.Behaviour;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MX probing end to end: a real DNS server ({@link MockDnsServer}) and real SMTP listeners on several loopback
 * addresses, driven through the public API and the Netty transport. Netty's leak detector must stay silent.
 */
@ExtendWith(LeakCheck.class)
class MxProbeEndToEndTest {

    private static final NettyTransport transport = new NettyTransport();

    private MockDnsServer dns;
    private InetAddress mx1;
    private InetAddress mx2;

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    /** Loads dnsjava once (classes, its selector thread), so that the timing assertion measures resolution only. */
    @BeforeAll
    static void warmUp() {
        try (MockDnsServer warm = MockDnsServer.start()) {
            SmtpProbe.mx("warm.test").resolver(warm.host(), warm.port()).transport(transport).run();
        }
    }

    @BeforeEach
    void start() {
        dns = MockDnsServer.start();
        mx1 = Loopback.randomAddress();
        do {
            mx2 = Loopback.randomAddress();
        } while (mx2.equals(mx1));
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    /** A probe through the test DNS server with short timeouts, plain SMTP (TinySmtp offers no STARTTLS). */
    private SmtpProbe.Builder mx(String domain, int port) {
        return SmtpProbe.mx(domain).resolver(dns.host(), dns.port()).dnsTimeout(Duration.ofSeconds(2))
                .ipVersion(IpVersion.V4_ONLY).port(port).tls(TlsMode.NONE).transport(transport)
                // connectTimeout fires in the port-25 tests (short); the others guard answers that come (generous).
                .connectTimeout(Duration.ofMillis(400)).greetingTimeout(Duration.ofSeconds(2))
                .replyTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(8)).ehloName("client.test");
    }

    private static String ip(InetAddress a) {
        return a.getHostAddress();
    }

    @Test
    void thePrimaryMxRefusesAndTheSecondaryAnswers() throws IOException {
        int port = Loopback.freePortOn(mx1, mx2);
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test")
                .a("mx1.example.test", ip(mx1)).a("mx2.example.test", ip(mx2));
        try (TinySmtp secondary = TinySmtp.start(mx2, port, "mx2.example.test")) {

            ProbeResult result = mx("example.test", port).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.attempts()).extracting(Attempt::host, Attempt::verdict).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("mx1.example.test", Verdict.CONNECTION_REFUSED),
                    org.assertj.core.groups.Tuple.tuple("mx2.example.test", Verdict.OK));
            assertThat(result.attempts().get(0).remote()).isEqualTo(new InetSocketAddress(mx1, port));
            assertThat(result.remoteAddress()).isEqualTo(secondary.address());
            assertThat(result.greeting().lines().get(0)).contains("mx2.example.test");
            assertThat(result.resolution().hosts()).extracting(h -> h.name() + " " + h.preference())
                    .containsExactly("mx1.example.test 10", "mx2.example.test 20");
            assertThat(result.summary()).startsWith("OK example.test MX mx2.example.test:" + port);
            assertThat(result.transcript()).extracting(TranscriptLine::text)
                    .anyMatch(t -> t.startsWith("DNS MX example.test @127.0.0.1:" + dns.port() + " -> answer: 10 mx1.example.test (ttl 300)"))
                    .anyMatch(t -> t.startsWith("DNS A mx2.example.test") && t.contains(ip(mx2) + " (ttl 300)"));
            assertThat(result.report()).contains("DNS:").contains("mail hosts in order: 10 mx1.example.test [" + ip(mx1) + "]");
            assertThat(secondary.connections()).isEqualTo(1);
        }
    }

    @Test
    void allAttemptsProbesEveryHostInsteadOfStoppingAtTheFirstOk() throws IOException {
        int port = Loopback.freePortOn(mx1, mx2);
        dns.mx("example.test", 10, "mx1.example.test").mx("example.test", 20, "mx2.example.test")
                .a("mx1.example.test", ip(mx1)).a("mx2.example.test", ip(mx2));
        try (TinySmtp first = TinySmtp.start(mx1, port, "mx1.example.test");
             TinySmtp second = TinySmtp.start(mx2, port, "mx2.example.test")) {

            ProbeResult firstOk = mx("example.test", port).run();
            ProbeResult all = mx("example.test", port).allAttempts().run();

            assertThat(firstOk.attempts()).extracting(Attempt::host).containsExactly("mx1.example.test");
            assertThat(all.attempts()).extracting(Attempt::host).containsExactly("mx1.example.test", "mx2.example.test");
            assertThat(all.attempts()).allMatch(Attempt::isOk);
            assertThat(first.connections()).isEqualTo(2);
            assertThat(second.connections()).isEqualTo(1);
        }
    }

    @Test
    void aDomainWithoutMxIsProbedAtItsOwnAddress() throws IOException {
        dns.a("implicit.test", ip(mx1));
        try (TinySmtp server = TinySmtp.start(mx1, 0, "implicit.test")) {
            ProbeResult result = mx("implicit.test", server.port()).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.resolution().hosts().get(0).implicit()).isTrue();
            assertThat(result.decidingAttempt().host()).isEqualTo("implicit.test");
        }
    }

    @Test
    void aSingleHostIsResolvedThroughTheConfiguredResolver() throws IOException {
        dns.a("smtp.example.test", ip(mx1));
        try (TinySmtp server = TinySmtp.start(mx1, 0, "smtp.example.test")) {
            ProbeResult result = SmtpProbe.to("smtp.example.test").resolver(dns.host() + ":" + dns.port())
                    .ipVersion(IpVersion.V4_ONLY).port(server.port()).tls(TlsMode.NONE).transport(transport)
                    .connectTimeout(Duration.ofMillis(400)).deadline(Duration.ofSeconds(5)).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.resolution().kind()).isEqualTo(Resolution.Kind.HOST);
            assertThat(result.remoteAddress()).isEqualTo(server.address());
            assertThat(dns.queries()).extracting(MockDnsServer.Query::type).containsExactly("A");
        }
    }

    @Test
    void anAaaaOnlyMxIsReachedOverIpv6() throws IOException {
        dns.mx("six.test", 10, "mx.six.test").aaaa("mx.six.test", "::1");
        try (TinySmtp server = TinySmtp.start(InetAddress.getByName("::1"), 0, "mx.six.test")) {
            ProbeResult result = mx("six.test", server.port()).ipVersion(IpVersion.ANY).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.remoteAddress().getAddress()).isEqualTo(InetAddress.getByName("::1"));
        }
    }

    // ---- every DNS verdict, end to end ----------------------------------------------------------------------------

    private ProbeResult dnsVerdict(String domain, List<String> events) {
        ProbeListener listener = new ProbeListener() {
            @Override
            public void phaseFailed(ProbeRun probe, Phase phase, AttemptId attempt, Verdict verdict, Duration duration) {
                events.add(phase + " " + verdict);
            }
        };
        ProbeResult result = mx(domain, 25).listener(listener).run();
        assertThat(result.phase()).isEqualTo(Phase.RESOLVE);
        assertThat(result.attempts()).isEmpty();
        assertThat(result.report()).contains("DNS:");
        return result;
    }

    @Test
    void nxdomainEndToEnd() {
        List<String> events = new CopyOnWriteArrayList<>();
        ProbeResult r = dnsVerdict("missing.test", events);

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);
        assertThat(r.detail()).contains("NXDOMAIN");
        assertThat(events).containsExactly("RESOLVE DNS_NO_SUCH_DOMAIN");
        assertThat(r.summary()).startsWith("DNS_NO_SUCH_DOMAIN [DNS] missing.test:25: missing.test does not exist");
    }

    @Test
    void nullMxEndToEnd() {
        dns.nullMx("nomail.test");

        ProbeResult r = dnsVerdict("nomail.test", new CopyOnWriteArrayList<>());

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NULL_MX);
    }

    @Test
    void danglingMxEndToEnd() {
        dns.mx("dangling.test", 10, "gone.dangling.test");

        ProbeResult r = dnsVerdict("dangling.test", new CopyOnWriteArrayList<>());

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_MAIL_HOST);
        assertThat(r.detail()).contains("gone.dangling.test").contains("dangling MX target");
    }

    @Test
    void noMxAndNoAddressEndToEnd() {
        dns.exists("bare.test");

        ProbeResult r = dnsVerdict("bare.test", new CopyOnWriteArrayList<>());

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_NO_MAIL_HOST);
    }

    @Test
    void servfailEndToEnd() {
        dns.behave("broken.test", Behaviour.SERVFAIL);

        ProbeResult r = dnsVerdict("broken.test", new CopyOnWriteArrayList<>());

        assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
        assertThat(r.detail()).contains("SERVFAIL from 127.0.0.1:" + dns.port());
    }

    @Test
    void aResolverThatNeverAnswersEndToEnd() {
        try (MockDnsServer.BlackHole hole = MockDnsServer.blackHole()) {
            long t0 = System.nanoTime();
            ProbeResult r = SmtpProbe.mx("example.test").resolver(hole.host(), hole.port())
                    .dnsTimeout(Duration.ofMillis(250)).transport(transport).run();
            long millis = (System.nanoTime() - t0) / 1_000_000;

            assertThat(r.verdict()).isEqualTo(Verdict.DNS_FAILURE);
            assertThat(r.detail()).contains("timeout from 127.0.0.1:" + hole.port());
            assertThat(millis).isLessThan(1500);
        }
    }

    // ---- the port sweep -----------------------------------------------------------------------------------------

    @Test
    void port25TimingOutWhileSubmissionConnectsSaysOutboundPort25LooksBlocked() throws IOException {
        assumeTrue(Loopback.canBindPort25(mx1), "binding port 25 needs root or a lowered ip_unprivileged_port_start");
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", ip(mx1));
        try (Loopback.Blackhole dropped = Loopback.blackholePort(mx1, 25);
             TinySmtp submission = TinySmtp.start(mx1, 587, "mx1.example.test")) {

            // Each port with its default TLS mode: STARTTLS where offered, so plain here (TinySmtp offers none).
            ProbeResult result = mx("example.test", 25).ports(25, 587).tls(TlsMode.STARTTLS).run();

            assertThat(result.ports()).containsExactly(25, 587);
            assertThat(result.portVerdicts()).containsExactly(Map.entry(25, Verdict.CONNECTION_TIMED_OUT),
                    Map.entry(587, Verdict.OK));
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.hints()).extracting(h -> h.code()).contains(HintCode.PORT_25_BLOCKED);
            assertThat(result.hints().get(0).message()).startsWith("Outbound port 25 looks blocked");
            assertThat(result.hints().get(0).evidence()).anyMatch(e -> e.startsWith("port 587 of mx1.example.test"));
            assertThat(result.report()).contains("Ports:").contains("25 CONNECTION_TIMED_OUT, 587 OK");
            assertThat(result.attempts().get(0).remote()).isEqualTo(dropped.listener().getLocalSocketAddress());
            assertThat(submission.connections()).isEqualTo(1);
        }
    }

    @Test
    void eachPortOfASweepUsesItsDefaultTlsMode() throws IOException {
        assumeTrue(Loopback.canBindPort25(mx1), "binding ports 587 and 465 needs root or a lowered ip_unprivileged_port_start");
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", ip(mx1));
        TestCertificates certificates = TestCertificates.shared();
        try (TinySmtp submission = TinySmtp.start(mx1, 587, "mx1.example.test");
             TinySmtp smtps = TinySmtp.startImplicitTls(mx1, 465, "mx1.example.test", certificates.valid().sslContext())) {

            // No tls(...): 587 gets STARTTLS (not offered here, so plain text), 465 gets implicit TLS.
            ProbeResult result = SmtpProbe.mx("example.test").resolver(dns.host(), dns.port()).ipVersion(IpVersion.V4_ONLY)
                    .ports(587, 465).transport(transport).trustManager(certificates.trustManager())
                    .verifyHostname(false) // the test certificate names localhost, not mx1.example.test
                    .connectTimeout(Duration.ofMillis(400)).greetingTimeout(Duration.ofMillis(1000))
                    .replyTimeout(Duration.ofMillis(1000)).deadline(Duration.ofSeconds(5)).ehloName("client.test").run();

            assertThat(result.portVerdicts()).as(result.report()).containsExactly(Map.entry(587, Verdict.OK),
                    Map.entry(465, Verdict.OK));
            assertThat(result.attempts()).extracting(Attempt::tlsMode).containsExactly(TlsMode.STARTTLS, TlsMode.IMPLICIT);
            assertThat(result.attempts().get(0).tls()).isNull();
            assertThat(result.attempts().get(1).tls()).isNotNull();
            assertThat(submission.connections()).isEqualTo(1);
            assertThat(smtps.connections()).isEqualTo(1);
        }
    }

    @Test
    void port25RefusedIsNotCalledBlocked() throws IOException {
        assumeTrue(Loopback.canBindPort25(mx1), "binding port 587 needs root or a lowered ip_unprivileged_port_start");
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", ip(mx1));
        try (TinySmtp submission = TinySmtp.start(mx1, 587, "mx1.example.test")) {

            ProbeResult result = mx("example.test", 25).ports(25, 587).run();

            assertThat(result.portVerdicts()).containsExactly(Map.entry(25, Verdict.CONNECTION_REFUSED),
                    Map.entry(587, Verdict.OK));
            assertThat(result.hints()).extracting(h -> h.code()).doesNotContain(HintCode.PORT_25_BLOCKED);
            assertThat(submission.connections()).isEqualTo(1);
        }
    }

    // ---- resolvers ------------------------------------------------------------------------------------------------

    @Test
    void twoResolversThatDisagreeAreReportedWithTheProbe() throws IOException {
        dns.mx("moved.test", 10, "mx.moved.test").a("mx.moved.test", ip(mx1));
        try (MockDnsServer stale = MockDnsServer.start();
             TinySmtp server = TinySmtp.start(mx1, 0, "mx.moved.test")) {
            stale.ttl(86400).mx("moved.test", 10, "mx.moved.test").a("mx.moved.test", ip(mx2));

            ProbeResult result = mx("moved.test", server.port())
                    .compareResolvers(List.of(dns.address(), stale.address())).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.comparison().agree()).isFalse();
            assertThat(result.comparison().differences()).containsExactly("mx.moved.test addresses differ: ["
                    + ip(mx1) + "] via 127.0.0.1:" + dns.port() + "; [" + ip(mx2) + "] via 127.0.0.1:" + stale.port());
            assertThat(result.hints()).extracting(h -> h.code()).contains(HintCode.RESOLVERS_DISAGREE);
            assertThat(result.transcript()).extracting(TranscriptLine::text).anyMatch(t -> t.startsWith("DNS compared moved.test"));
            assertThat(result.report()).contains("Compared:").contains("disagree");
        }
    }

    @Test
    void aFailingResolverIsSkippedForTheNext() throws IOException {
        dns.mx("example.test", 10, "mx1.example.test").a("mx1.example.test", ip(mx1));
        try (MockDnsServer.BlackHole hole = MockDnsServer.blackHole();
             TinySmtp server = TinySmtp.start(mx1, 0, "mx1.example.test")) {
            ProbeResult result = SmtpProbe.mx("example.test").resolver(hole.host(), hole.port())
                    .resolver(dns.host(), dns.port()).dnsTimeout(Duration.ofMillis(200)).ipVersion(IpVersion.V4_ONLY)
                    .port(server.port()).tls(TlsMode.NONE).transport(transport).connectTimeout(Duration.ofMillis(400))
                    .deadline(Duration.ofSeconds(5)).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.resolution().resolvers()).containsExactly("127.0.0.1:" + hole.port(), "127.0.0.1:" + dns.port());
        }
    }

    // ---- scope across domains -------------------------------------------------------------------------------------

    @Test
    void someDomainsFailingWhileOthersWorkPointsAtThoseRecipients() throws IOException {
        int port = Loopback.freePortOn(mx1, mx2);
        dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", ip(mx1))
                .mx("b.test", 10, "mx.b.test").a("mx.b.test", ip(mx1))
                .mx("down.test", 10, "mx.down.test").a("mx.down.test", ip(mx2))
                .nullMx("nomail.test");
        try (TinySmtp server = TinySmtp.start(mx1, port, "mx.test")) {
            BatchResult batch = SmtpProbe.batch(List.of("a.test", "down.test", "b.test", "nomail.test"),
                    d -> mx(d, port)).concurrency(2).run();

            assertThat(batch.results()).extracting(ProbeResult::target)
                    .containsExactly("a.test", "down.test", "b.test", "nomail.test");
            assertThat(batch.results()).extracting(ProbeResult::verdict).containsExactly(Verdict.OK,
                    Verdict.CONNECTION_REFUSED, Verdict.OK, Verdict.DNS_NULL_MX);
            ScopeSummary scope = batch.scope();
            assertThat(scope.scope()).isEqualTo(ScopeSummary.Scope.RECIPIENT_SIDE);
            assertThat(scope.failing()).containsExactly("down.test: CONNECTION_REFUSED", "nomail.test: DNS_NULL_MX");
            assertThat(scope.working()).containsExactly("a.test", "b.test");
            assertThat(scope.message()).contains("look at those recipients' mail gateways");
            assertThat(server.connections()).isEqualTo(2);
        }
    }

    @Test
    void everyDomainFailingPointsAtTheSenderSide() throws IOException {
        int port = Loopback.freePortOn(mx1, mx2);
        dns.mx("a.test", 10, "mx.a.test").a("mx.a.test", ip(mx1))
                .mx("b.test", 10, "mx.b.test").a("mx.b.test", ip(mx2));

        BatchResult batch = SmtpProbe.batch(List.of("a.test", "b.test"), d -> mx(d, port)).run();

        assertThat(batch.scope().scope()).isEqualTo(ScopeSummary.Scope.SENDER_SIDE);
        assertThat(batch.scope().message()).startsWith("All 2 targets fail").contains("your side");
        assertThat(batch.scope().hint().code()).isEqualTo(HintCode.SCOPE);
        assertThat(batch.allOk()).isFalse();
    }
}
