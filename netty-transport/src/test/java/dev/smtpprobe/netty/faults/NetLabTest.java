package dev.smtpprobe.netty.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Proves the lab itself with plain JDK sockets: each firewall or routing fault makes the kernel report exactly the
 * error the probe's verdicts are built on. If one of these fails, a verdict test failing next to it is the lab's
 * fault, not the probe's.
 */
class NetLabTest {

    @RegisterExtension
    static final NetLabExtension LAB = new NetLabExtension(1);

    private static final int TIMEOUT_MS = 500;

    static NetLab lab;
    static NetLab.Target target;

    @BeforeAll
    static void startResponder() throws IOException {
        lab = LAB.lab();
        target = lab.target(1);
        lab.startJava(target.namespace(), TinySmtpResponder.class, Duration.ofSeconds(20), "25", "587");
    }

    @AfterEach
    void clearRules() throws IOException {
        lab.flushFirewall(lab.client());
        lab.flushFirewall(target.namespace());
    }

    private static ProbeOutcome connect(String host, int port) throws IOException {
        return ProbeOutcome.parse(lab.runJava(lab.client(), ProbeMain.class, Duration.ofSeconds(30), "connect",
                host, Integer.toString(port), Integer.toString(TIMEOUT_MS)));
    }

    @Test
    void targetAnswersOverBothFamilies() throws IOException {
        assertThat(connect(target.v4(), 25).get("outcome")).isEqualTo("connected");
        assertThat(connect(target.v6(), 587).get("outcome")).isEqualTo("connected");
    }

    @Test
    void rejectWithTcpResetIsRefused() throws IOException {
        lab.iptables(target.namespace(), "INPUT", "-p", "tcp", "--dport", "25", "-j", "REJECT", "--reject-with",
                "tcp-reset");
        ProbeOutcome o = connect(target.v4(), 25);
        assertThat(o.get("outcome")).isEqualTo("ConnectException");
        assertThat(o.get("message")).contains("refused");
    }

    @Test
    void rejectWithPortUnreachableIsRefused() throws IOException {
        lab.iptables(target.namespace(), "INPUT", "-p", "tcp", "--dport", "25", "-j", "REJECT", "--reject-with",
                "icmp-port-unreachable");
        ProbeOutcome o = connect(target.v4(), 25);
        assertThat(o.get("outcome")).isEqualTo("ConnectException");
        assertThat(o.get("message")).contains("refused");
    }

    @Test
    void rejectWithHostProhibitedIsNoRouteToHost() throws IOException {
        lab.iptables(target.namespace(), "INPUT", "-p", "tcp", "--dport", "25", "-j", "REJECT", "--reject-with",
                "icmp-host-prohibited");
        assertThat(connect(target.v4(), 25).get("outcome")).isEqualTo("NoRouteToHostException");
    }

    @Test
    void onLinkAddressWithoutHostIsNoRouteToHost() throws IOException {
        ProbeOutcome o = connect(target.absentV4(), 25);
        assertThat(o.get("outcome")).isEqualTo("NoRouteToHostException");
        assertThat(o.number("ms")).isLessThan(TIMEOUT_MS);
    }

    @Test
    void dropTimesOutAtTheConnectTimeout() throws IOException {
        lab.iptables(target.namespace(), "INPUT", "-p", "tcp", "--dport", "25", "-j", "DROP");
        ProbeOutcome o = connect(target.v4(), 25);
        assertThat(o.get("outcome")).isEqualTo("SocketTimeoutException");
        assertThat(o.number("ms")).isBetween((long) TIMEOUT_MS - 50, (long) TIMEOUT_MS + 1_000);
    }

    @Test
    void destinationWithoutRouteIsNetworkUnreachable() throws IOException {
        ProbeOutcome v4 = connect(NetLab.UNROUTED_V4, 25);
        assertThat(v4.get("message")).contains("Network is unreachable");
        ProbeOutcome v6 = connect(NetLab.UNROUTED_V6, 25);
        assertThat(v6.get("message")).contains("Network is unreachable");
    }

    @Test
    void egressDropOfPort25LeavesSubmissionWorking() throws IOException {
        lab.iptables(lab.client(), "OUTPUT", "-p", "tcp", "--dport", "25", "-j", "DROP");
        assertThat(connect(target.v4(), 25).get("outcome")).isEqualTo("SocketTimeoutException");
        assertThat(connect(target.v4(), 587).get("outcome")).isEqualTo("connected");
    }

    @Test
    void ipv6PathFailsWhileIpv4Works() throws IOException {
        lab.ip6tables(target.namespace(), "INPUT", "-p", "tcp", "--dport", "25", "-j", "DROP");
        assertThat(connect(target.v6(), 25).get("outcome")).isEqualTo("SocketTimeoutException");
        assertThat(connect(target.v4(), 25).get("outcome")).isEqualTo("connected");
    }
}
