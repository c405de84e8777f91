package dev.smtpprobe.netty.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.proxy.MockProxyServer;
import dev.smtpprobe.testkit.proxy.ProxyAnswer;
import dev.smtpprobe.testkit.proxy.ProxyRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A full probe through each kind of proxy, over real loopback sockets: the testkit's proxy in front of a scripted
 * SMTP server. These run on {@code run()} (the JDK-socket path); {@link ProbeThroughProxyAsyncTest} runs the same
 * cases on {@code runAsync()}.
 */
class ProbeThroughProxyTest {

    static final Duration ANSWER = Duration.ofSeconds(2);
    static final Duration FIRES = Duration.ofMillis(400);
    static final Duration WAIT = Duration.ofSeconds(2);
    static final TestCertificates CERTS = TestCertificates.shared();

    private MockSmtpServer smtp;
    private MockProxyServer proxy;

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (smtp != null) {
            smtp.close();
        }
    }

    /** Whether the probe runs with {@code runAsync()} (the event loops) instead of {@code run()}. */
    boolean async() {
        return false;
    }

    ProbeResult probe(SmtpProbe.Builder builder) {
        SmtpProbe probe = builder.build();
        if (!async()) {
            return probe.run();
        }
        try {
            return probe.runAsync().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("runAsync() failed", e);
        }
    }

    static SmtpProbe.Builder to(int port, TlsMode mode) {
        return SmtpProbe.to("127.0.0.1").port(port).tls(mode).connectTimeout(ANSWER).greetingTimeout(ANSWER)
                .replyTimeout(ANSWER).deadline(Duration.ofSeconds(5)).ehloName("probe.test")
                .trustManager(CERTS.trustManager());
    }

    static ProxyConfig config(MockProxyServer proxy) {
        return ProxyConfig.of(switch (proxy.protocol()) {
            case SOCKS5 -> ProxyConfig.Type.SOCKS5;
            case SOCKS4A -> ProxyConfig.Type.SOCKS4A;
            case HTTP_CONNECT -> ProxyConfig.Type.HTTP_CONNECT;
        }, "127.0.0.1", proxy.port());
    }

    static List<String> transcript(ProbeResult result) {
        return result.transcript().stream().map(l -> l.direction().marker() + " " + l.text()).toList();
    }

    static List<String> notes(ProbeResult result) {
        return result.transcript().stream().filter(l -> l.direction() == TranscriptLine.Direction.INFO)
                .map(TranscriptLine::text).toList();
    }

    /** No hint about this machine's listeners or firewalls: a proxy answered, not the target's host. */
    static void assertNoRefusalHints(ProbeResult result) {
        assertThat(result.hints()).extracting(Hint::code).doesNotContain(HintCode.LOCAL_LISTENER,
                HintCode.DOCKER_LOCALHOST, HintCode.REJECT_VS_DROP);
    }

    record Kind(String name, Supplier<MockProxyServer> server, String user, String password) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> kinds() {
        return Stream.of(
                Arguments.of(new Kind("SOCKS5", MockProxyServer::socks5, null, null)),
                Arguments.of(new Kind("SOCKS5 with username/password",
                        () -> MockProxyServer.socks5().credentials("alice", "s3cret"), "alice", "s3cret")),
                Arguments.of(new Kind("SOCKS4a", MockProxyServer::socks4a, null, null)),
                Arguments.of(new Kind("HTTP CONNECT", MockProxyServer::httpConnect, null, null)),
                Arguments.of(new Kind("HTTP CONNECT with Basic",
                        () -> MockProxyServer.httpConnect().credentials("bob", "pa55"), "bob", "pa55")));
    }

    private ProxyConfig startProxy(Kind kind) {
        proxy = kind.server().get().start();
        ProxyConfig config = config(proxy);
        return kind.user() == null ? config : config.withCredentials(kind.user(), kind.password().toCharArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void okThroughEachProxyWithTheHopInTheTranscript(Kind kind) throws Exception {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));
        ProxyConfig config = startProxy(kind);

        ProbeResult result = probe(to(smtp.port(), TlsMode.NONE).proxy(config));

        assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.OK);
        assertThat(result.remoteAddress()).isEqualTo(smtp.address());
        String label = config.type().label();
        assertThat(notes(result)).anySatisfy(n -> assertThat(n).contains("connecting to 127.0.0.1:" + smtp.port(),
                "through the " + label + " proxy 127.0.0.1:" + proxy.port()));
        assertThat(notes(result)).anySatisfy(n -> assertThat(n).startsWith("tunnel to 127.0.0.1:" + smtp.port()
                + " open through the " + label + " proxy 127.0.0.1:" + proxy.port()));
        assertThat(transcript(result)).contains("< 220 mx.test ESMTP", "> EHLO probe.test");
        assertThat(result.report()).contains("Through:", label + " proxy 127.0.0.1:" + proxy.port())
                .contains("Destination IP:  127.0.0.1 port " + smtp.port());
        assertThat(result.timings()).containsKeys(Phase.CONNECT, Phase.GREETING);
        ProxyRequest request = proxy.takeRequest(WAIT);
        assertThat(request.targetHost()).isEqualTo("127.0.0.1");
        assertThat(request.targetPort()).isEqualTo(smtp.port());
        assertThat(request.byName()).isFalse();
        if (kind.user() != null) {
            assertThat(request.username()).isEqualTo(kind.user());
            assertThat(result.toString() + result.transcript() + result.report()).doesNotContain(kind.password());
        }
        assertThat(smtp.takeConnection(WAIT).commands()).containsExactly("EHLO probe.test", "QUIT");
    }

    @Test
    void targetRefusedAsReportedByTheProxyIsConnectionRefusedWithoutLocalHints() {
        proxy = MockProxyServer.socks5().start();
        int closed = Ports.closed();

        ProbeResult result = probe(to(closed, TlsMode.NONE).proxy(config(proxy)));

        assertThat(result.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(result.phase()).isEqualTo(Phase.CONNECT);
        assertThat(result.detail()).contains("as reported by the SOCKS5 proxy 127.0.0.1:" + proxy.port());
        assertThat(result.remoteAddress().getPort()).isEqualTo(closed);
        assertNoRefusalHints(result);
    }

    @Test
    void anHttpProxyThatCannotReachTheTargetIsTheProxysFailure() {
        proxy = MockProxyServer.httpConnect().start();

        ProbeResult result = probe(to(Ports.closed(), TlsMode.NONE).proxy(config(proxy)));

        assertThat(result.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(result.detail()).contains("HTTP proxy 127.0.0.1:" + proxy.port(), "502");
        assertNoRefusalHints(result);
    }

    @Test
    void aClosedProxyPortIsProxyUnreachableNamingTheProxyNotTheTarget() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"));
        int closed = Ports.closed();

        ProbeResult result = probe(to(smtp.port(), TlsMode.NONE).proxy(ProxyConfig.socks5("127.0.0.1", closed)));

        assertThat(result.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(result.phase()).isEqualTo(Phase.CONNECT);
        assertThat(result.detail()).contains("cannot reach the SOCKS5 proxy 127.0.0.1:" + closed,
                "connection refused", "the mail server was never contacted");
        assertThat(result.remoteAddress()).isEqualTo(smtp.address());
        assertThat(smtp.connectionCount()).isZero();
        assertNoRefusalHints(result);
    }

    @Test
    void wrongSocks5CredentialsAreProxyAuthFailed() {
        proxy = MockProxyServer.socks5().credentials("alice", "s3cret").start();

        ProbeResult result = probe(to(Ports.closed(), TlsMode.NONE)
                .proxy(config(proxy).withCredentials("alice", "wrong".toCharArray())));

        assertThat(result.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(result.detail()).contains("SOCKS5 proxy 127.0.0.1:" + proxy.port()).doesNotContain("wrong");
    }

    @Test
    void missingHttpCredentialsAreProxyAuthFailed() {
        proxy = MockProxyServer.httpConnect().credentials("bob", "pa55").start();

        ProbeResult result = probe(to(Ports.closed(), TlsMode.NONE).proxy(config(proxy)));

        assertThat(result.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(result.detail()).contains("407");
    }

    @Test
    void aDestinationForbiddenByTheProxysRulesIsProxyDenied() {
        proxy = MockProxyServer.socks5().answer(ProxyAnswer.reply(0x02)).start();

        ProbeResult socks = probe(to(Ports.closed(), TlsMode.NONE).proxy(config(proxy)));

        assertThat(socks.verdict()).isEqualTo(Verdict.PROXY_DENIED);
        proxy.close();
        proxy = MockProxyServer.httpConnect().answer(ProxyAnswer.reply(403)).start();

        ProbeResult http = probe(to(Ports.closed(), TlsMode.NONE).proxy(config(proxy)));

        assertThat(http.verdict()).isEqualTo(Verdict.PROXY_DENIED);
        assertThat(http.detail()).contains("403");
    }

    @Test
    void aSilentProxyIsBoundedByTheConnectTimeout() {
        proxy = MockProxyServer.socks5().answer(ProxyAnswer.silent()).start();

        ProbeResult result = probe(to(Ports.closed(), TlsMode.NONE).connectTimeout(FIRES).proxy(config(proxy)));

        assertThat(result.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(result.detail()).contains("did not answer its handshake within");
        assertThat(result.elapsed()).isLessThan(FIRES.plus(Duration.ofMillis(1500)));
    }

    @Test
    void aProxySilentAfterTheTunnelRequestIsConnectionTimedOutAsItsSilenceReports() {
        proxy = MockProxyServer.socks5().answer(ProxyAnswer.stall()).start();

        ProbeResult result = probe(to(Ports.closed(), TlsMode.NONE).connectTimeout(FIRES).proxy(config(proxy)));

        assertThat(result.verdict()).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
        assertThat(result.detail()).contains("SOCKS5 proxy 127.0.0.1:" + proxy.port(), "did not answer the request");
        assertThat(result.elapsed()).isLessThan(FIRES.plus(Duration.ofMillis(1500)));
        assertThat(result.hints()).extracting(Hint::code).doesNotContain(HintCode.REJECT_VS_DROP);
    }

    @Test
    void aProxyThatClosesDuringItsHandshakeIsProxyUnreachable() {
        proxy = MockProxyServer.httpConnect().answer(ProxyAnswer.close()).start();

        ProbeResult result = probe(to(Ports.closed(), TlsMode.NONE).proxy(config(proxy)));

        assertThat(result.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(result.detail()).contains("closed the connection");
    }

    @Test
    void startTlsThroughTheTunnel() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .onStartTls(CERTS.valid().tls()).ehloAfterTls("mx.test", "PIPELINING"));
        proxy = MockProxyServer.socks5().coalesceFirstBytes().start();

        ProbeResult result = probe(to(smtp.port(), TlsMode.STARTTLS_REQUIRED).proxy(config(proxy)));

        assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.OK);
        assertThat(result.tls()).isNotNull();
        assertThat(smtp.takeConnection(WAIT).tlsProtocol()).isPresent();
    }

    @Test
    void implicitTlsThroughTheTunnel() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").tlsOnConnect(CERTS.valid().tls())
                .ehlo("mx.test", "PIPELINING"));
        proxy = MockProxyServer.httpConnect().start();

        ProbeResult result = probe(to(smtp.port(), TlsMode.IMPLICIT).proxy(config(proxy)));

        assertThat(result.verdict()).as(result.detail()).isEqualTo(Verdict.OK);
        assertThat(result.tls()).isNotNull();
        assertThat(notes(result)).anySatisfy(n -> assertThat(n).startsWith("tunnel to 127.0.0.1:" + smtp.port()));
    }
}
