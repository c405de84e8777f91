package dev.smtpprobe.netty.hints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.netty.mx.Loopback;
import dev.smtpprobe.netty.mx.TinySmtp;
import dev.smtpprobe.netty.transport.LeakCheck;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every hint produced by a real probe: the Netty transport over loopback, the scripted SMTP server, real TLS with the
 * test CA, real DNS answers from {@link MockDnsServer}, and the machine presented through a rooted
 * {@link HostEnvironment} (a container, an AWS VM or a bare host) so that the test needs to be none of them.
 *
 * <p>Timers: a timer that must fire here is short (connect 400 ms for a dropped SYN, greeting 400 ms for an
 * implicit-TLS port spoken plain); a timer that guards an answer which comes is generous (5 s), so the suite holds on
 * a cold, loaded machine.
 */
@ExtendWith(LeakCheck.class)
class HintsEndToEndTest {

    private static final NettyTransport transport = new NettyTransport();
    private static final TestCertificates CERTS = TestCertificates.shared();
    /** Guards answers that come: free when things work, and a cold TLS handshake under load can take seconds. */
    private static final Duration ANSWER = Duration.ofSeconds(5);
    /** A timer expected to fire. */
    private static final Duration FIRES = Duration.ofMillis(400);

    @TempDir
    Path root;

    private MockSmtpServer server;

    @BeforeAll
    static void warmUp() {
        // Loads Netty's and the JDK's TLS classes once, so no test below pays for them.
        try (MockSmtpServer warm = new MockSmtpServer().start(Script.greeting("220 warm.test")
                .ehlo("warm.test", "STARTTLS").onStartTls(CERTS.valid().tls()))) {
            probe(warm.port()).tls(TlsMode.STARTTLS).run();
        }
    }

    @AfterAll
    static void shutdown() {
        transport.close();
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    /** A probe of 127.0.0.1:{@code port} through Netty, with generous timers and the test CA as trust. */
    private static SmtpProbe.Builder probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).transport(transport).trustManager(CERTS.trustManager())
                .ehloName("client.test").connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                .deadline(Duration.ofSeconds(15)).environment(bareHost());
    }

    private MockSmtpServer serve(Script script) {
        server = new MockSmtpServer().start(script);
        return server;
    }

    /** A machine with no container markers, no DMI files and no addresses but loopback. */
    private static HostEnvironment bareHost() {
        return HostEnvironment.rootedAt(BARE_ROOT, Map.of(), List.of());
    }

    /** An empty directory standing for a machine's root: no file a hint reads exists below it. */
    private static final Path BARE_ROOT = emptyDirectory();

    private static Path emptyDirectory() {
        try {
            Path dir = Files.createTempDirectory("bare-host");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A machine made of {@code files} (absolute path to content) below the test's temporary root. */
    private HostEnvironment machine(Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = root.resolve(f.getKey().substring(1));
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue());
        }
        return HostEnvironment.rootedAt(root, Map.of(), List.of());
    }

    private static Optional<Hint> hint(ProbeResult result, HintCode code) {
        return result.hints().stream().filter(h -> h.code() == code).findFirst();
    }

    private static Hint onlyHintOf(ProbeResult result, HintCode code) {
        assertThat(result.hints()).as(result.report()).extracting(Hint::code).containsOnlyOnce(code);
        return hint(result, code).orElseThrow();
    }

    // ---- the machine ----------------------------------------------------------------------------------------------

    /** The default route via 172.17.0.1 as the kernel prints it: hex, little-endian. */
    private static final String ROUTE_TABLE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
            """;

    @Test
    void aRefusedLoopbackPortInsideAContainerSuggestsTheHost() throws IOException {
        HostEnvironment container = machine(Map.of("/.dockerenv", "", "/proc/net/route", ROUTE_TABLE));

        ProbeResult result = probe(Ports.closed()).tls(TlsMode.NONE).environment(container).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_REFUSED);
        Hint docker = onlyHintOf(result, HintCode.DOCKER_LOCALHOST);
        assertThat(result.hints().get(0)).as("the container explains the refusal first").isEqualTo(docker);
        assertThat(docker.message()).contains("host.docker.internal").contains("default gateway 172.17.0.1")
                .contains("instead of 127.0.0.1");
        assertThat(docker.evidence()).containsExactly("target 127.0.0.1 is loopback and refused", "/.dockerenv exists",
                "default gateway 172.17.0.1 (from /proc/net/route)");
        assertThat(result.report()).contains("DOCKER_LOCALHOST");
    }

    @Test
    void aRefusedLoopbackPortOnABareHostPointsAtTheLocalDaemonNotDocker() {
        int port = Ports.closed();

        ProbeResult result = probe(port).tls(TlsMode.NONE).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_REFUSED);
        Hint local = onlyHintOf(result, HintCode.LOCAL_LISTENER);
        assertThat(local.message()).contains("systemctl status postfix").contains("ss -tlnp | grep :" + port)
                .contains("'master'");
        assertThat(local.evidence()).containsExactly("127.0.0.1 is an address of this machine", "TCP port " + port + " refused");
        assertThat(hint(result, HintCode.DOCKER_LOCALHOST)).isEmpty();
    }

    @Test
    void port25TimingOutOnAnAwsMachineExplainsTheProviderBlock() throws IOException {
        InetAddress address = Loopback.randomAddress();
        assumeTrue(Loopback.canBindPort25(address), "binding port 25 needs root or a lowered ip_unprivileged_port_start");
        HostEnvironment aws = machine(Map.of("/sys/class/dmi/id/sys_vendor", "Amazon EC2\n",
                "/sys/class/dmi/id/product_name", "t3.micro\n", "/sys/class/dmi/id/bios_vendor", "Amazon EC2\n"));
        try (Loopback.Blackhole dropped = Loopback.blackholePort(address, 25)) {

            ProbeResult result = SmtpProbe.to(address.getHostAddress()).port(25).tls(TlsMode.NONE).transport(transport)
                    .connectTimeout(FIRES).deadline(ANSWER).environment(aws).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
            assertThat(result.remoteAddress()).isEqualTo(dropped.listener().getLocalSocketAddress());
            Hint cloud = onlyHintOf(result, HintCode.CLOUD_PORT_25_BLOCKED);
            assertThat(cloud.message()).contains("AWS (EC2)").contains("port 587 with authentication")
                    .contains("AWS lifts the block on request, per region");
            assertThat(cloud.evidence()).containsExactly("TCP port 25 timed out", "sys_vendor: Amazon EC2",
                    "product_name: t3.micro", "bios_vendor: Amazon EC2");
            assertThat(hint(result, HintCode.REJECT_VS_DROP)).isPresent();
        }
    }

    @Test
    void port25TimingOutOnABareHostNamesNoCloud() throws IOException {
        InetAddress address = Loopback.randomAddress();
        assumeTrue(Loopback.canBindPort25(address), "binding port 25 needs root or a lowered ip_unprivileged_port_start");
        try (Loopback.Blackhole dropped = Loopback.blackholePort(address, 25)) {

            ProbeResult result = SmtpProbe.to(address.getHostAddress()).port(25).tls(TlsMode.NONE).transport(transport)
                    .connectTimeout(FIRES).deadline(ANSWER).environment(bareHost()).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
            assertThat(result.remoteAddress()).isEqualTo(dropped.listener().getLocalSocketAddress());
            assertThat(hint(result, HintCode.CLOUD_PORT_25_BLOCKED)).isEmpty();
        }
    }

    // ---- the network ----------------------------------------------------------------------------------------------

    @Test
    void refusedSaysSomethingAnsweredNo() {
        ProbeResult result = probe(Ports.closed()).tls(TlsMode.NONE).run();

        Hint reject = onlyHintOf(result, HintCode.REJECT_VS_DROP);
        assertThat(reject.message()).startsWith("Refused, not timed out");
        assertThat(reject.evidence()).singleElement().asString().matches("TCP port \\d+ of 127\\.0\\.0\\.1 refused in \\d+ ms");
    }

    @Test
    void timedOutSaysPacketsAreDropped() throws IOException {
        InetAddress address = Loopback.randomAddress();
        try (Loopback.Blackhole dropped = Loopback.blackholePort(address, 0)) {
            int port = dropped.listener().getLocalPort();

            ProbeResult result = SmtpProbe.to(address.getHostAddress()).port(port).tls(TlsMode.NONE).transport(transport)
                    .connectTimeout(FIRES).deadline(ANSWER).environment(bareHost()).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
            Hint drop = onlyHintOf(result, HintCode.REJECT_VS_DROP);
            assertThat(drop.message()).startsWith("Timed out, not refused").contains("DROP");
            assertThat(drop.evidence()).singleElement().asString()
                    .startsWith("no answer to the SYN to " + address.getHostAddress() + ":" + port + " within ");
        }
    }

    @Test
    void plainTextToAnImplicitTlsPortSaysToUseImplicitTls() {
        serve(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.valid().tls()));

        // The plain greeting timer must fire; the implicit-TLS confirmation then gets the same (short) one, and its
        // banner follows the handshake at once.
        ProbeResult result = probe(server.port()).tls(TlsMode.STARTTLS).greetingTimeout(FIRES).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        Hint mode = onlyHintOf(result, HintCode.TLS_MODE_FOR_PORT);
        assertThat(mode.message()).contains("speaks implicit TLS").contains("tls(IMPLICIT)");
        assertThat(mode.evidence()).singleElement().asString().contains("a TLS handshake then a 220 banner succeeded");
    }

    @Test
    void implicitTlsToAPlainPortSaysToUseStartTls() {
        serve(Script.greeting("220 mx.test ESMTP"));

        ProbeResult result = probe(server.port()).tls(TlsMode.IMPLICIT).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.TLS_MODE_MISMATCH);
        Hint mode = onlyHintOf(result, HintCode.TLS_MODE_FOR_PORT);
        assertThat(mode.message()).contains("answered a TLS hello in plain text").contains("tls(STARTTLS)");
        assertThat(mode.evidence()).singleElement().asString().contains("220 mx.test ESMTP");
    }

    @Test
    void ipv6RefusedWhileIpv4AnswersSaysTheIpv6PathIsBroken() throws IOException {
        assumeTrue(Ports.ipv6LoopbackAvailable(), "no IPv6 loopback here");
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));
        // The server listens on 127.0.0.1 only: the same port on ::1 refuses.
        try (MockDnsServer dns = MockDnsServer.start()) {
            dns.aaaa("dual.test", "::1").a("dual.test", "127.0.0.1");

            ProbeResult result = SmtpProbe.to("dual.test").resolver(dns.host(), dns.port()).dnsTimeout(ANSWER)
                    .ipVersion(IpVersion.ANY).port(server.port()).tls(TlsMode.NONE).transport(transport)
                    .ehloName("client.test").connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                    .deadline(Duration.ofSeconds(15)).environment(bareHost()).run();

            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
            assertThat(result.attempts()).extracting(a -> a.remote().getAddress() instanceof Inet6Address, Attempt::verdict)
                    .as("IPv6 first, as the resolver orders addresses, then IPv4")
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(true, Verdict.CONNECTION_REFUSED),
                            org.assertj.core.groups.Tuple.tuple(false, Verdict.OK));
            Hint v6 = onlyHintOf(result, HintCode.IPV6_PATH_BROKEN);
            assertThat(v6.message()).startsWith("IPv6 failed while IPv4 worked");
            assertThat(v6.evidence()).hasSize(2);
            // Attempt.toString() prints the IPv6 address in the JDK's long form.
            assertThat(v6.evidence().get(0)).contains("[0:0:0:0:0:0:0:1]").contains("CONNECTION_REFUSED");
            assertThat(v6.evidence().get(1)).contains("127.0.0.1").contains("OK");
        }
    }

    // ---- the service ----------------------------------------------------------------------------------------------

    @Test
    void aBlocklistNamedAtTheGreetingSaysCheckTheListing() {
        serve(Script.greeting("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"));

        ProbeResult result = probe(server.port()).tls(TlsMode.NONE).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);
        assertThat(result.policyReason()).isEqualTo(PolicyReason.BLOCKLIST);
        Hint listed = onlyHintOf(result, HintCode.BLOCKLIST_IN_REPLY);
        assertThat(listed.message()).contains("check whether 127.0.0.1").contains("delisting");
        assertThat(listed.evidence()).singleElement().asString().contains("554").contains("zen.spamhaus.org");
    }

    @Test
    void a535AfterStartTlsSaysItIsTheCredentialsNotTheNetwork() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS")
                .ehloAfterTls("mx.test", "AUTH PLAIN LOGIN").onStartTls(CERTS.valid().tls())
                .onAuth("535 5.7.8 Username and Password not accepted"));

        ProbeResult result = probe(server.port()).tls(TlsMode.STARTTLS_REQUIRED)
                .auth("someone@example.test", "not-the-password".toCharArray()).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.AUTH_FAILED);
        Hint auth = onlyHintOf(result, HintCode.AUTH_NOT_NETWORK);
        assertThat(auth.message()).contains("not connectivity");
        assertThat(auth.evidence()).contains("TCP connected to 127.0.0.1:" + server.port())
                .anyMatch(e -> e.startsWith("banner: 220 mx.test ESMTP"))
                .anyMatch(e -> e.startsWith("TLS: TLSv1."))
                .anyMatch(e -> e.startsWith("last reply: 535 5.7.8"));
        assertThat(String.join("\n", auth.evidence()) + result.report()).doesNotContain("not-the-password");
    }

    @Test
    void anEhloReplyNamingAnotherClientAddressSaysNatIsInThePath() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test Hello client.test [198.51.100.24]", "PIPELINING"));

        ProbeResult result = probe(server.port()).tls(TlsMode.NONE).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(result.localAddress().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        Hint nat = onlyHintOf(result, HintCode.NAT_IN_PATH);
        assertThat(nat.message()).contains("saw this client as 198.51.100.24 while it connected from 127.0.0.1")
                .contains("recipients see 198.51.100.24");
        assertThat(nat.evidence()).containsExactly("EHLO reply: mx.test Hello client.test [198.51.100.24]",
                "local address: 127.0.0.1");
    }

    @Test
    void anEhloReplyEchoingTheRealClientAddressSaysNothingAboutNat() {
        serve(Script.greeting("220 mx.test ESMTP").ehlo("mx.test Hello client.test [127.0.0.1]", "PIPELINING"));

        ProbeResult result = probe(server.port()).tls(TlsMode.NONE).run();

        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);
        assertThat(result.hints()).as(result.report()).isEmpty();
    }

    // ---- several targets and ports (the DNS work) -----------------------------------------------------------------

    @Test
    void port25DroppedWhileSubmissionAnswersOnAnAwsMachineNamesBothTheBlockAndTheProvider() throws IOException {
        InetAddress address = Loopback.randomAddress();
        assumeTrue(Loopback.canBindPort25(address), "binding ports 25 and 587 needs root or a lowered ip_unprivileged_port_start");
        HostEnvironment aws = machine(Map.of("/sys/class/dmi/id/sys_vendor", "Amazon EC2\n"));
        try (Loopback.Blackhole dropped = Loopback.blackholePort(address, 25);
             MockDnsServer dns = MockDnsServer.start()) {
            dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", address.getHostAddress());
            // The scripted server binds 127.0.0.1 only, so 587 on the test address is served by TinySmtp.
            try (TinySmtp submission = TinySmtp.start(address, 587, "mx.example.test")) {

                ProbeResult result = SmtpProbe.mx("example.test").resolver(dns.host(), dns.port()).dnsTimeout(ANSWER)
                        .ipVersion(IpVersion.V4_ONLY).ports(25, 587).tls(TlsMode.NONE).transport(transport)
                        .ehloName("client.test").connectTimeout(FIRES).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                        .deadline(Duration.ofSeconds(15)).environment(aws).run();

                assertThat(result.portVerdicts()).as(result.report()).containsExactly(
                        Map.entry(25, Verdict.CONNECTION_TIMED_OUT), Map.entry(587, Verdict.OK));
                assertThat(result.hints()).extracting(Hint::code)
                        .containsSubsequence(HintCode.PORT_25_BLOCKED, HintCode.CLOUD_PORT_25_BLOCKED);
                assertThat(hint(result, HintCode.CLOUD_PORT_25_BLOCKED).orElseThrow().evidence())
                        .contains("TCP port 25 timed out", "sys_vendor: Amazon EC2");
                assertThat(submission.connections()).isEqualTo(1);
                assertThat(result.attempts().get(0).remote()).isEqualTo(dropped.listener().getLocalSocketAddress());
            }
        }
    }

    @Test
    void everyTargetRefusedIsTheSenderSide() {
        BatchResult batch = SmtpProbe.batch(List.of("127.0.0.1", "127.0.0.1"), t -> probe(Ports.closed()).tls(TlsMode.NONE))
                .run();

        ScopeSummary scope = batch.scope();
        assertThat(scope.scope()).isEqualTo(ScopeSummary.Scope.SENDER_SIDE);
        assertThat(scope.hint().code()).isEqualTo(HintCode.SCOPE);
        assertThat(scope.hint().message()).startsWith("All 2 targets fail");
        assertThat(scope.hint().evidence()).hasSize(2).allMatch(e -> e.contains("CONNECTION_REFUSED"));
    }
}
