package dev.smtpprobe.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.proxy.TunnelDriver.Outcome;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.proxy.MockProxyServer;
import dev.smtpprobe.testkit.proxy.ProxyAnswer;
import dev.smtpprobe.testkit.proxy.ProxyRequest;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each handshake over a real loopback socket, through the testkit's proxy, to a scripted SMTP server. */
class ProxyHandshakeEndToEndTest {

    private static final Duration READ = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(2);

    private MockSmtpServer smtp;

    @BeforeEach
    void smtpServer() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"));
    }

    @AfterEach
    void stop() {
        smtp.close();
    }

    private static ProxyConfig config(MockProxyServer proxy) {
        return ProxyConfig.of(switch (proxy.protocol()) {
            case SOCKS5 -> ProxyConfig.Type.SOCKS5;
            case SOCKS4A -> ProxyConfig.Type.SOCKS4A;
            case HTTP_CONNECT -> ProxyConfig.Type.HTTP_CONNECT;
        }, "127.0.0.1", proxy.port());
    }

    @Test
    void socks5WithoutCredentialsReachesTheGreetingAndTheProxyResolvesTheName() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks5().redirectTo(smtp.address()).start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "mx.example.net", 25, READ);
            assertThat(outcome.greeting()).isEqualTo("220 mx.test ESMTP");
            assertThat(outcome.message()).contains("tunnel to mx.example.net:25 open through the SOCKS5 proxy",
                    "(proxy bound 127.0.0.1:");
            ProxyRequest request = proxy.takeRequest(WAIT);
            assertThat(request.targetHost()).isEqualTo("mx.example.net");
            assertThat(request.byName()).isTrue();
        }
    }

    @Test
    void socks5WithCredentialsToAnAddress() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks5().credentials("alice", "s3cret").start()) {
            ProxyConfig config = config(proxy).withCredentials("alice", "s3cret".toCharArray());
            Outcome outcome = TunnelDriver.run(config, "127.0.0.1", smtp.port(), READ);
            assertThat(outcome.greeting()).isEqualTo("220 mx.test ESMTP");
            ProxyRequest request = proxy.takeRequest(WAIT);
            assertThat(request.username()).isEqualTo("alice");
            assertThat(request.password()).isEqualTo("s3cret");
            assertThat(request.byName()).isFalse();
            assertThat(request.methods()).containsExactly(0, 2);
        }
    }

    @Test
    void socks5WrongOrMissingCredentialsAreProxyAuthFailed() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks5().credentials("alice", "s3cret").start()) {
            Outcome wrong = TunnelDriver.run(config(proxy).withCredentials("alice", "nope".toCharArray()), "127.0.0.1",
                    smtp.port(), READ);
            assertThat(wrong.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
            assertThat(wrong.message()).contains("rejected the credentials of user alice").doesNotContain("nope");
            Outcome none = TunnelDriver.run(config(proxy), "127.0.0.1", smtp.port(), READ);
            assertThat(none.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
            assertThat(none.message()).contains("no credentials are configured");
        }
    }

    @Test
    void aTargetThatRefusesIsConnectionRefusedAsReportedByTheProxy() throws Exception {
        int closed = Ports.closed();
        try (MockProxyServer proxy = MockProxyServer.socks5().start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "127.0.0.1", closed, READ);
            assertThat(outcome.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
            assertThat(outcome.message()).isEqualTo("the target 127.0.0.1:" + closed + " refused the connection, as "
                    + "reported by the SOCKS5 proxy 127.0.0.1:" + proxy.port() + " (reply 0x05: connection refused)");
        }
    }

    @ParameterizedTest
    @CsvSource({"2, PROXY_DENIED", "3, NETWORK_UNREACHABLE", "4, NO_ROUTE_TO_HOST", "6, CONNECTION_TIMED_OUT",
        "1, PROXY_UNREACHABLE"})
    void scriptedSocks5Replies(int code, Verdict verdict) throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.reply(code)).start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "mx.example.net", 25, READ);
            assertThat(outcome.verdict()).isEqualTo(verdict);
            assertThat(outcome.message()).contains("SOCKS5 proxy 127.0.0.1:" + proxy.port(), "mx.example.net:25");
        }
    }

    @Test
    void aStallAtTheRequestIsATimeoutAndSilenceOrACloseIsTheProxysFailure() throws Exception {
        Duration shortly = Duration.ofMillis(300);
        try (MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.stall()).start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "mx.example.net", 25, shortly);
            assertThat(outcome.verdict()).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
            assertThat(outcome.message()).contains("no connection to mx.example.net:25 within 300 ms");
        }
        try (MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.silent()).start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "mx.example.net", 25, shortly);
            assertThat(outcome.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
            assertThat(outcome.message()).contains("did not answer its handshake within 300 ms");
        }
        try (MockProxyServer proxy = MockProxyServer.socks5().answer(ProxyAnswer.close()).start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "mx.example.net", 25, READ);
            assertThat(outcome.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
            assertThat(outcome.message()).contains("closed the connection", "before sending anything");
        }
    }

    @Test
    void anSmtpServerWhereTheProxyShouldBeAndAClosedProxyPortAreProxyUnreachable() throws Exception {
        ProxyConfig notAProxy = ProxyConfig.socks5("127.0.0.1", smtp.port());
        Outcome outcome = TunnelDriver.run(notAProxy, "mx.example.net", 25, READ);
        assertThat(outcome.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(outcome.message()).startsWith("127.0.0.1:" + smtp.port() + " is not a working SOCKS5 proxy")
                .contains("'2");
        Outcome closed = TunnelDriver.run(ProxyConfig.httpConnect("127.0.0.1", Ports.closed()), "mx.example.net", 25,
                READ);
        assertThat(closed.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(closed.message()).contains("cannot reach the HTTP proxy 127.0.0.1:", "connection refused");
    }

    @Test
    void socks4aResolvesTheNameAtTheProxyAndReports91AsDenied() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.socks4a().redirectTo(smtp.address()).start()) {
            Outcome outcome = TunnelDriver.run(config(proxy).withUserId("bob"), "mx.example.net", 25, READ);
            assertThat(outcome.greeting()).isEqualTo("220 mx.test ESMTP");
            ProxyRequest request = proxy.takeRequest(WAIT);
            assertThat(request.targetHost()).isEqualTo("mx.example.net");
            assertThat(request.username()).isEqualTo("bob");
        }
        try (MockProxyServer proxy = MockProxyServer.socks4a().start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "127.0.0.1", Ports.closed(), READ);
            assertThat(outcome.verdict()).isEqualTo(Verdict.PROXY_DENIED);
            assertThat(outcome.message()).contains("reply 91");
        }
    }

    @Test
    void httpConnectWithBasicCredentialsKeepsTheGreetingThatSharedTheAnswersSegment() throws Exception {
        try (MockProxyServer proxy = MockProxyServer.httpConnect().credentials("alice", "s3cret")
                .redirectTo(smtp.address()).coalesceFirstBytes().start()) {
            Outcome outcome = TunnelDriver.run(config(proxy).withCredentials("alice", "s3cret".toCharArray()),
                    "mx.example.net", 25, READ);
            assertThat(outcome.greeting()).isEqualTo("220 mx.test ESMTP");
            assertThat(proxy.takeRequest(WAIT).headerLines()).contains("CONNECT mx.example.net:25 HTTP/1.1",
                    "Host: mx.example.net:25");
            Outcome wrong = TunnelDriver.run(config(proxy).withCredentials("alice", "nope".toCharArray()),
                    "mx.example.net", 25, READ);
            assertThat(wrong.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        }
    }

    @ParameterizedTest
    @CsvSource({"403, PROXY_DENIED", "407, PROXY_AUTH_FAILED", "504, CONNECTION_TIMED_OUT", "502, PROXY_UNREACHABLE"})
    void httpStatuses(int status, Verdict verdict) throws IOException {
        try (MockProxyServer proxy = MockProxyServer.httpConnect().answer(ProxyAnswer.reply(status)).start()) {
            Outcome outcome = TunnelDriver.run(config(proxy), "mx.example.net", 25, READ);
            assertThat(outcome.verdict()).isEqualTo(verdict);
            assertThat(outcome.message()).contains("HTTP proxy 127.0.0.1:" + proxy.port(), "HTTP/1.1 " + status);
        }
    }
}
