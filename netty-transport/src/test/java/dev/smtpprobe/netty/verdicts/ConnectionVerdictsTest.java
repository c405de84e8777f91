package dev.smtpprobe.netty.verdicts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Layer;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.Effect;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.RecordedConnection;
import dev.smtpprobe.testkit.Script;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TCP verdicts and the greeting timeout: refused, reset (RST, FIN, half a banner), no banner. */
class ConnectionVerdictsTest extends VerdictTestSupport {

    @Test
    void closedPortIsRefused() {
        int port = Ports.closed();

        ProbeResult result = probeAt(port, TlsMode.STARTTLS).run();

        assertThat(result.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(result.layer()).isEqualTo(Layer.TCP);
        assertThat(result.phase()).isEqualTo(Phase.CONNECT);
        assertThat(result.detail()).contains("refused").contains(String.valueOf(port));
        assertThat(result.remoteAddress()).isEqualTo(loopback(port));
        assertThat(result.localAddress()).as("no connection was made").isNull();
        assertThat(result.failure().type()).isEqualTo(java.net.ConnectException.class.getName());
        assertThat(result.greeting()).isNull();
        assertThat(result.attempts()).hasSize(1);
        assertThat(result.timings()).containsKey(Phase.CONNECT);
        assertDecidedBeforeTimers(result);
        assertThat(result.hints()).extracting(Hint::code).contains(HintCode.REJECT_VS_DROP, HintCode.LOCAL_LISTENER);
        assertThat(result.report()).contains("CONNECTION_REFUSED").contains("127.0.0.1 port " + port)
                .contains("refused");
    }

    /**
     * A source address this host does not have (TEST-NET-2, RFC 5737; every 127/8 address is on Linux's loopback,
     * so none of those would do): the connect fails on this host by configuration, never as a routing problem.
     */
    @Test
    void sourceAddressNotOnThisHostIsAConfigurationProblem() throws Exception {
        java.net.InetAddress absent = java.net.InetAddress.getByName("198.51.100.55");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.net.NetworkInterface.getByInetAddress(absent) == null,
                "198.51.100.55 is an address of this host");
        serve(Script.greeting("220 mx.test ESMTP"));

        ProbeResult result = probe(TlsMode.NONE).sourceAddress(absent).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.BLOCKED_LOCALLY);
        assertThat(result.phase()).isEqualTo(Phase.CONNECT);
        assertThat(result.detail()).contains("source address 198.51.100.55").contains("not an address of this host")
                .contains("sourceAddress setting").doesNotContain("null").doesNotContain("unreachable");
        assertThat(result.failure().type()).isEqualTo(java.net.BindException.class.getName());
        assertThat(result.report()).doesNotContain("null");
        assertThat(result.summary()).doesNotContain("null");
        assertThat(server.connections()).as("nothing reached the server").isEmpty();
    }

    @Test
    void resetRightAfterAcceptIsConnectionReset() {
        serve(Script.effect(Effect.RESET));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.CONNECTION_RESET);
        assertThat(result.layer()).isEqualTo(Layer.TCP);
        // A race of the kernel, not of the probe: the RST can reach the client before its event loop has seen
        // the connection complete (then "reset while connecting") or after (then "reset before the greeting").
        assertThat(result.phase()).isIn(Phase.CONNECT, Phase.GREETING);
        assertThat(result.detail()).contains("reset");
        assertThat(result.failure().message()).containsIgnoringCase("reset");
        assertThat(result.greeting()).isNull();
        assertThat(result.remoteAddress()).isEqualTo(server.address());
        RecordedConnection connection = onlyConnection();
        assertThat(connection.commands()).isEmpty();
    }

    @Test
    void finBeforeTheGreetingIsConnectionReset() {
        serve(Script.effect(Effect.CLOSE));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.CONNECTION_RESET);
        assertThat(result.phase()).isEqualTo(Phase.GREETING);
        assertThat(result.detail()).contains("closed").contains("before a complete greeting");
        assertAddresses(result, onlyConnection());
    }

    @Test
    void halfAGreetingThenCloseIsConnectionReset() {
        serve(Script.greeting(Effect.raw("220 mx.te"), Effect.CLOSE));

        ProbeResult result = probe(TlsMode.STARTTLS).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.CONNECTION_RESET);
        assertThat(result.phase()).isEqualTo(Phase.GREETING);
        assertThat(result.greeting()).isNull();
        assertThat(onlyConnection().commands()).isEmpty();
    }

    @Test
    void noBannerIsGreetingTimeout() {
        serve(Script.effect(Effect.STALL));

        ProbeResult result = probe(TlsMode.STARTTLS).greetingTimeout(FIRES).confirmTlsMode(false).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.GREETING_TIMEOUT);
        assertThat(result.layer()).isEqualTo(Layer.SMTP);
        assertThat(result.phase()).isEqualTo(Phase.GREETING);
        assertThat(result.detail()).contains(FIRES.toMillis() + " ms");
        assertThat(result.timings().get(Phase.GREETING)).isGreaterThanOrEqualTo(FIRES);
        assertThat(result.greeting()).isNull();
        assertEndedByTimer(result, FIRES);
        RecordedConnection connection = onlyConnection();
        assertAddresses(result, connection);
        assertThat(connection.commands()).as("the probe waited for the banner, saying nothing").isEmpty();
        assertThat(connection.clientClosed()).isTrue();
    }

    @Test
    void noBannerInEitherModeStaysGreetingTimeout() {
        serve(Script.effect(Effect.STALL));

        // Two timers fire: the plain banner's, then the confirmation's TLS handshake (a reply timer).
        ProbeResult result = probe(TlsMode.STARTTLS).greetingTimeout(FIRES).replyTimeout(FIRES).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.GREETING_TIMEOUT);
        assertThat(result.attempts()).extracting(a -> a.tlsMode()).containsExactly(TlsMode.STARTTLS, TlsMode.IMPLICIT);
        assertEndedByTimer(result, FIRES.plus(FIRES));
        assertThat(server.connectionCount()).as("the confirmation attempt in implicit TLS").isEqualTo(2);
        RecordedConnection confirmation = server.connections().get(1);
        assertThat(confirmation.awaitClosed(WAIT)).isTrue();
        assertThat(confirmation.rawLines()).isNotEmpty();
        assertThat(confirmation.rawLines().get(0)[0]).as("a TLS handshake record").isEqualTo((byte) 0x16);
    }

    /**
     * A silent port costs the greeting timeout and then only the confirmation's budget (a quarter of it), not a second
     * full wait: the verdict comes within about 1.25 times the configured timeout. Before, the confirmation waited a
     * full greeting timeout more, and its TLS handshake a reply timeout.
     */
    @Test
    void theConfirmationOfASilentPortAddsAQuarterOfTheGreetingTimeoutAtMost() {
        serve(Script.effect(Effect.STALL));
        Duration greeting = Duration.ofSeconds(2);

        ProbeResult result = probe(TlsMode.STARTTLS).greetingTimeout(greeting).run();

        assertThat(result.verdict()).as(result.summary()).isEqualTo(Verdict.GREETING_TIMEOUT);
        assertThat(result.attempts()).extracting(a -> a.tlsMode()).containsExactly(TlsMode.STARTTLS, TlsMode.IMPLICIT);
        assertThat(result.decidingAttempt()).isSameAs(result.attempts().get(0));
        assertThat(result.attempts().get(1).detail()).as("the confirmation names its own bound, not the probe's deadline")
                .contains("the confirmation's budget of 500 ms").doesNotContain("probe's deadline");
        assertThat(result.elapsed()).as(result.report()).isGreaterThanOrEqualTo(greeting)
                .isLessThan(greeting.multipliedBy(5).dividedBy(4).plusMillis(250));
        assertThat(server.connectionCount()).isEqualTo(2);
    }
}
