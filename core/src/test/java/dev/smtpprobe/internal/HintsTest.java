package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each hint from constructed attempts and a presented machine (the environment seam). The same hints from real
 * probes are asserted in netty-transport's tests.
 */
class HintsTest {

    @TempDir
    Path root;

    private HostEnvironment bareHost() {
        return HostEnvironment.rootedAt(root, Map.of(), List.of());
    }

    private static Attempt attempt(String address, int port, TlsMode mode, Verdict verdict, Phase phase,
                                   InetSocketAddress local, SmtpReply ehlo, SmtpReply last, PolicyReason reason) throws IOException {
        return Attempt.builder().host("mx.test")
                .remote(new InetSocketAddress(InetAddress.getByName(address), port)).local(local).tlsMode(mode)
                .verdict(verdict).phase(phase).detail(verdict + " detail").policyReason(reason).ehlo(ehlo)
                .lastReply(last).startedAt(Instant.EPOCH).elapsed(Duration.ofMillis(5))
                .timings(Map.of(phase, Duration.ofMillis(4))).build();
    }

    private static Attempt attempt(String address, int port, Verdict verdict) throws IOException {
        return attempt(address, port, TlsMode.STARTTLS, verdict, Phase.CONNECT, null, null, null, null);
    }

    private static List<HintCode> codes(List<Hint> hints) {
        return hints.stream().map(Hint::code).toList();
    }

    @Test
    void refusedLoopbackInsideAContainerSuggestsTheHostGateway() throws IOException {
        Files.createFile(root.resolve(".dockerenv"));
        Files.createDirectories(root.resolve("proc/net"));
        Files.writeString(root.resolve("proc/net/route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010011AC\t0003\t0\t0\t0\t00000000\t0\t0\t0
                eth0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                """);
        Attempt a = attempt("127.0.0.1", 25, Verdict.CONNECTION_REFUSED);
        List<Hint> hints = Hints.derive(Verdict.CONNECTION_REFUSED, a, List.of(a), HostEnvironment.rootedAt(root, Map.of(), List.of()));
        assertThat(codes(hints)).startsWith(HintCode.DOCKER_LOCALHOST).contains(HintCode.LOCAL_LISTENER, HintCode.REJECT_VS_DROP);
        Hint docker = hints.get(0);
        assertThat(docker.message()).contains("host.docker.internal").contains("172.17.0.1");
        assertThat(docker.evidence()).contains("/.dockerenv exists", "default gateway 172.17.0.1 (from /proc/net/route)");
    }

    @Test
    void cgroupAloneIsContainerEvidence() throws IOException {
        Files.createDirectories(root.resolve("proc/1"));
        Files.writeString(root.resolve("proc/1/cgroup"), "0::/kubepods/besteffort/pod1234/abcdef\n");
        assertThat(Hints.containerEvidence(bareHost())).containsExactly("/proc/1/cgroup mentions kubepods");
    }

    @Test
    void refusedLoopbackOnABareHostIsALocalListenerNotDocker() throws IOException {
        Attempt a = attempt("127.0.0.1", 25, Verdict.CONNECTION_REFUSED);
        List<Hint> hints = Hints.derive(Verdict.CONNECTION_REFUSED, a, List.of(a), bareHost());
        assertThat(codes(hints)).containsExactly(HintCode.LOCAL_LISTENER, HintCode.REJECT_VS_DROP);
        assertThat(hints.get(0).message()).contains("systemctl status postfix").contains("ss -tlnp | grep :25").contains("master");
    }

    @Test
    void oneOfThisMachinesAddressesIsLocalToo() throws IOException {
        Attempt a = attempt("192.0.2.7", 587, Verdict.CONNECTION_REFUSED);
        HostEnvironment env = HostEnvironment.rootedAt(root, Map.of(), List.of(InetAddress.getByName("192.0.2.7")));
        assertThat(codes(Hints.derive(Verdict.CONNECTION_REFUSED, a, List.of(a), env))).contains(HintCode.LOCAL_LISTENER);
        assertThat(codes(Hints.derive(Verdict.CONNECTION_REFUSED, a, List.of(a), bareHost()))).doesNotContain(HintCode.LOCAL_LISTENER);
    }

    @Test
    void port25TimeoutOnEachCloudNamesTheProvider() throws IOException {
        Attempt a = attempt("192.0.2.1", 25, Verdict.CONNECTION_TIMED_OUT);
        assertThat(cloudHint(a, "Amazon EC2", "m5.large", "Amazon EC2").message()).contains("AWS").contains("587");
        assertThat(cloudHint(a, "Google", "Google Compute Engine", "Google").message()).contains("Google Cloud");
        assertThat(cloudHint(a, "Microsoft Corporation", "Virtual Machine", "Microsoft Corporation").message()).contains("Azure");
        // Port 587 timing out is not the provider's port-25 block.
        Attempt submission = attempt("192.0.2.1", 587, Verdict.CONNECTION_TIMED_OUT);
        writeDmi("Amazon EC2", "m5.large", "Amazon EC2");
        assertThat(codes(Hints.derive(submission.verdict(), submission, List.of(submission), bareHost())))
                .doesNotContain(HintCode.CLOUD_PORT_25_BLOCKED).contains(HintCode.REJECT_VS_DROP);
    }

    private Hint cloudHint(Attempt a, String vendor, String product, String bios) throws IOException {
        writeDmi(vendor, product, bios);
        List<Hint> hints = Hints.derive(a.verdict(), a, List.of(a), bareHost());
        assertThat(codes(hints)).contains(HintCode.CLOUD_PORT_25_BLOCKED, HintCode.REJECT_VS_DROP);
        Hint h = hints.stream().filter(x -> x.code() == HintCode.CLOUD_PORT_25_BLOCKED).findFirst().orElseThrow();
        assertThat(h.evidence()).contains("TCP port 25 timed out", "sys_vendor: " + vendor);
        return h;
    }

    private void writeDmi(String vendor, String product, String bios) throws IOException {
        Path dmi = Files.createDirectories(root.resolve("sys/class/dmi/id"));
        Files.writeString(dmi.resolve("sys_vendor"), vendor + "\n");
        Files.writeString(dmi.resolve("product_name"), product + "\n");
        Files.writeString(dmi.resolve("bios_vendor"), bios + "\n");
    }

    @Test
    void port25TimeoutOnABareHostIsOnlyRejectVsDrop() throws IOException {
        Attempt a = attempt("192.0.2.1", 25, Verdict.CONNECTION_TIMED_OUT);
        List<Hint> hints = Hints.derive(a.verdict(), a, List.of(a), bareHost());
        assertThat(codes(hints)).containsExactly(HintCode.REJECT_VS_DROP);
        assertThat(hints.get(0).message()).startsWith("Timed out, not refused");
    }

    @Test
    void implicitTlsPortSpokenPlain() throws IOException {
        Attempt a = attempt("192.0.2.1", 465, TlsMode.STARTTLS, Verdict.GREETING_TIMEOUT, Phase.GREETING, null, null, null, null);
        assertThat(codes(Hints.derive(a.verdict(), a, List.of(a), bareHost()))).containsExactly(HintCode.TLS_MODE_FOR_PORT);
        Attempt mismatch = attempt("192.0.2.1", 587, TlsMode.IMPLICIT, Verdict.TLS_MODE_MISMATCH, Phase.CONNECT, null, null, null, null);
        Hint h = Hints.derive(mismatch.verdict(), mismatch, List.of(mismatch), bareHost()).get(0);
        assertThat(h.code()).isEqualTo(HintCode.TLS_MODE_FOR_PORT);
        assertThat(h.message()).contains("STARTTLS");
    }

    @Test
    void authFailureSaysItIsNotTheNetwork() throws IOException {
        SmtpReply last = new SmtpReply(535, null, List.of("5.7.8 Username and Password not accepted"));
        Attempt a = attempt("192.0.2.1", 587, TlsMode.STARTTLS, Verdict.AUTH_FAILED, Phase.AUTH, null, null, last, null);
        Hint h = Hints.derive(a.verdict(), a, List.of(a), bareHost()).get(0);
        assertThat(h.code()).isEqualTo(HintCode.AUTH_NOT_NETWORK);
        assertThat(h.evidence()).anyMatch(e -> e.contains("535"));
    }

    @Test
    void blocklistNamedInTheReply() throws IOException {
        SmtpReply last = new SmtpReply(554, null, List.of("blocked using zen.spamhaus.org"));
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("192.0.2.50"), 40000);
        Attempt a = attempt("192.0.2.1", 25, TlsMode.STARTTLS, Verdict.SMTP_PERMANENT_REJECTION, Phase.GREETING, local, null, last,
                PolicyReason.BLOCKLIST);
        Hint h = Hints.derive(a.verdict(), a, List.of(a), bareHost()).get(0);
        assertThat(h.code()).isEqualTo(HintCode.BLOCKLIST_IN_REPLY);
        assertThat(h.message()).contains("192.0.2.50");
        assertThat(h.evidence()).containsExactly("554 blocked using zen.spamhaus.org");
    }

    @Test
    void ipv6FailingWhileIpv4Works() throws IOException {
        Attempt v6 = attempt("fd00::25", 25, Verdict.CONNECTION_TIMED_OUT);
        Attempt v4 = attempt("192.0.2.1", 25, TlsMode.STARTTLS, Verdict.OK, Phase.QUIT, null, null, null, null);
        List<Hint> hints = Hints.derive(Verdict.OK, v4, List.of(v6, v4), bareHost());
        assertThat(codes(hints)).containsExactly(HintCode.IPV6_PATH_BROKEN);
        assertThat(hints.get(0).message()).startsWith("IPv6 failed while IPv4 worked");
    }

    @Test
    void serverEchoingAnotherAddressMeansNat() throws IOException {
        InetSocketAddress local = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 40000);
        SmtpReply ehlo = new SmtpReply(250, null, List.of("mx.google.com at your service, [198.51.100.24]", "SIZE 35882577"));
        Attempt a = attempt("192.0.2.1", 25, TlsMode.STARTTLS, Verdict.OK, Phase.QUIT, local, ehlo, null, null);
        List<Hint> hints = Hints.derive(Verdict.OK, a, List.of(a), bareHost());
        assertThat(codes(hints)).containsExactly(HintCode.NAT_IN_PATH);
        assertThat(hints.get(0).message()).contains("198.51.100.24").contains("10.1.2.3");
        // The same address echoed back: no NAT.
        SmtpReply same = new SmtpReply(250, null, List.of("mx.test Hello [10.1.2.3]"));
        Attempt direct = attempt("192.0.2.1", 25, TlsMode.STARTTLS, Verdict.OK, Phase.QUIT, local, same, null, null);
        assertThat(Hints.derive(Verdict.OK, direct, List.of(direct), bareHost())).isEmpty();
    }
}
