package dev.smtpprobe.internal.proxy;

import static dev.smtpprobe.internal.proxy.Exchange.ascii;
import static dev.smtpprobe.internal.proxy.Exchange.bytes;
import static dev.smtpprobe.internal.proxy.Exchange.concat;
import static dev.smtpprobe.internal.proxy.Exchange.everySplit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Socks5HandshakeTest {

    private static final ProxyConfig PROXY = ProxyConfig.socks5("127.0.0.1", 1080);
    private static final ProxyConfig WITH_PASSWORD = PROXY.withCredentials("alice", "s3cret!".toCharArray());
    private static final byte[] GREETING = ascii("220 mx.test ESMTP\r\n");
    private static final byte[] OK_IPV4 = bytes(5, 0, 0, 1, 10, 0, 0, 7, 0x9c, 0x40);

    @Test
    void withoutCredentialsOffersNoAuthAndConnectsToAnAddressLiteralAsAnAddress() {
        Exchange e = everySplit(() -> new Socks5Handshake(PROXY, "192.0.2.25", 25),
                concat(bytes(5, 0), OK_IPV4, GREETING));
        assertThat(e.sent().get(0)).containsExactly(bytes(5, 1, 0));
        assertThat(e.sent().get(1)).containsExactly(bytes(5, 1, 0, 1, 192, 0, 2, 25, 0, 25));
        assertThat(e.done()).isTrue();
        assertThat(e.leftoverText()).isEqualTo("220 mx.test ESMTP\r\n");
    }

    @Test
    void aNameIsSentForTheProxyToResolve() {
        Exchange e = everySplit(() -> new Socks5Handshake(PROXY, "mx.example.net", 587),
                concat(bytes(5, 0), OK_IPV4));
        assertThat(e.sent().get(1)).containsExactly(concat(bytes(5, 1, 0, 3, 14), ascii("mx.example.net"),
                bytes(587 >> 8, 587 & 0xff)));
        assertThat(e.done()).isTrue();
        assertThat(e.leftover()).isEmpty();
    }

    @Test
    void anIpv6TargetAndAnIpv6BoundAddress() {
        byte[] bound = concat(bytes(5, 0, 0, 4), new byte[15], bytes(1), bytes(0, 25));
        Socks5Handshake[] last = new Socks5Handshake[1];
        Exchange e = everySplit(() -> last[0] = new Socks5Handshake(PROXY, "[2001:db8::25]", 25),
                concat(bytes(5, 0), bound, GREETING));
        assertThat(e.sent().get(1)).containsExactly(concat(bytes(5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8), new byte[11],
                bytes(0x25), bytes(0, 25)));
        assertThat(e.leftoverText()).startsWith("220 ");
        assertThat(last[0].bound()).contains("[0:0:0:0:0:0:0:1]:25");
        assertThat(last[0].describeTunnel()).contains("[2001:db8::25]:25", "SOCKS5 proxy 127.0.0.1:1080");
    }

    @Test
    void aBoundNameOfAnyLengthIsReadToItsEnd() {
        byte[] bound = concat(bytes(5, 0, 0, 3, 9), ascii("relay.lan"), bytes(0x04, 0x00));
        Socks5Handshake[] last = new Socks5Handshake[1];
        Exchange e = everySplit(() -> last[0] = new Socks5Handshake(PROXY, "192.0.2.25", 25),
                concat(bytes(5, 0), bound, GREETING));
        assertThat(e.leftover()).isEqualTo(GREETING);
        assertThat(last[0].bound()).contains("'relay.lan':1024");
    }

    @Test
    void usernameAndPasswordWhenTheProxyPicksThem() {
        Exchange e = everySplit(() -> new Socks5Handshake(WITH_PASSWORD, "192.0.2.25", 25),
                concat(bytes(5, 2), bytes(1, 0), OK_IPV4, GREETING));
        assertThat(e.sent().get(0)).containsExactly(bytes(5, 2, 0, 2));
        assertThat(e.sent().get(1)).containsExactly(concat(bytes(1, 5), ascii("alice"), bytes(7), ascii("s3cret!")));
        assertThat(e.sent().get(2)).containsExactly(bytes(5, 1, 0, 1, 192, 0, 2, 25, 0, 25));
        assertThat(e.done()).isTrue();
        assertThat(e.leftover()).isEqualTo(GREETING);
    }

    @Test
    void aProxyThatNeedsNoAuthenticationSkipsTheSubNegotiation() {
        Exchange e = everySplit(() -> new Socks5Handshake(WITH_PASSWORD, "192.0.2.25", 25),
                concat(bytes(5, 0), OK_IPV4));
        assertThat(e.sent()).hasSize(2);
        assertThat(e.done()).isTrue();
    }

    @Test
    void rejectedCredentialsAreProxyAuthFailedNamingTheUserNotThePassword() {
        Exchange e = everySplit(() -> new Socks5Handshake(WITH_PASSWORD, "192.0.2.25", 25),
                concat(bytes(5, 2), bytes(1, 1), OK_IPV4));
        assertThat(e.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(e.message()).contains("SOCKS5 proxy 127.0.0.1:1080", "alice", "0x01").doesNotContain("s3cret");
        assertThat(e.sent()).hasSize(2);
    }

    @Test
    void noAcceptableMethodWithoutCredentialsSaysThatNoneAreConfigured() {
        Exchange e = everySplit(() -> new Socks5Handshake(PROXY, "192.0.2.25", 25), bytes(5, 0xff));
        assertThat(e.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(e.message()).contains("requires authentication", "no credentials are configured");
    }

    @Test
    void noAcceptableMethodWithCredentialsIsProxyAuthFailed() {
        Exchange e = everySplit(() -> new Socks5Handshake(WITH_PASSWORD, "192.0.2.25", 25), bytes(5, 0xff));
        assertThat(e.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(e.message()).contains("none of the offered", "username/password").doesNotContain("s3cret");
    }

    @ParameterizedTest
    @CsvSource({
        "1, PROXY_UNREACHABLE, general SOCKS server failure",
        "2, PROXY_DENIED, not allowed by ruleset",
        "3, NETWORK_UNREACHABLE, network unreachable",
        "4, NO_ROUTE_TO_HOST, host unreachable",
        "5, CONNECTION_REFUSED, connection refused",
        "6, CONNECTION_TIMED_OUT, TTL expired",
        "7, PROXY_UNREACHABLE, command not supported",
        "8, PROXY_UNREACHABLE, address type not supported",
        "9, PROXY_UNREACHABLE, unassigned reply 0x09",
        "255, PROXY_UNREACHABLE, unassigned reply 0xff"})
    void eachReplyCodeHasItsVerdictAndNamesTheProxyAndTheTarget(int code, Verdict verdict, String words) {
        // A short failure reply (VER REP only) is enough: some proxies close right after it.
        Exchange e = everySplit(() -> new Socks5Handshake(PROXY, "mx.example.net", 25),
                concat(bytes(5, 0), bytes(5, code)));
        assertThat(e.verdict()).isEqualTo(verdict);
        assertThat(e.message()).contains("SOCKS5 proxy 127.0.0.1:1080", "mx.example.net:25", words);
        Exchange full = everySplit(() -> new Socks5Handshake(PROXY, "mx.example.net", 25),
                concat(bytes(5, 0), bytes(5, code, 0, 1, 0, 0, 0, 0, 0, 0)));
        assertThat(full.verdict()).isEqualTo(verdict);
    }

    @Test
    void targetOutcomesSayTheyAreAsReportedByTheProxy() {
        Exchange e = everySplit(() -> new Socks5Handshake(PROXY, "192.0.2.25", 25), concat(bytes(5, 0), bytes(5, 5)));
        assertThat(e.message()).isEqualTo("the target 192.0.2.25:25 refused the connection, as reported by the SOCKS5 "
                + "proxy 127.0.0.1:1080 (reply 0x05: connection refused)");
    }

    @Test
    void anHttpAnswerIsNotASocks5ProxyAndIsQuotedEscaped() {
        Exchange e = everySplit(() -> new Socks5Handshake(PROXY, "192.0.2.25", 25),
                ascii("HTTP/1.1 400 Bad Request\r\n\r\n"));
        assertThat(e.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(e.message()).startsWith("127.0.0.1:1080 is not a working SOCKS5 proxy").contains("'H");
        Exchange whole = Exchange.run(new Socks5Handshake(PROXY, "192.0.2.25", 25),
                ascii("HTTP/1.1 400 Bad Request\r\n\r\n"));
        assertThat(whole.message()).contains("'HTTP/1.1 400 Bad Request\\r\\n\\r\\n'");
    }

    @Test
    void aMethodThatWasNotOfferedOrAnUnknownAddressTypeIsABrokenProxy() {
        assertThat(everySplit(() -> new Socks5Handshake(PROXY, "192.0.2.25", 25), bytes(5, 2)).verdict())
                .isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(everySplit(() -> new Socks5Handshake(PROXY, "192.0.2.25", 25), bytes(5, 1)).message())
                .contains("method 0x01, which was not offered");
        Exchange atyp = everySplit(() -> new Socks5Handshake(PROXY, "192.0.2.25", 25),
                concat(bytes(5, 0), bytes(5, 0, 0, 7, 1, 2, 3, 4, 0, 25)));
        assertThat(atyp.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(atyp.message()).contains("unknown address type 0x07");
        assertThat(everySplit(() -> new Socks5Handshake(WITH_PASSWORD, "192.0.2.25", 25),
                concat(bytes(5, 2), bytes(9, 0))).verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
    }

    @Test
    void theAuthenticationAnswerMayEchoVersion5() {
        assertThat(everySplit(() -> new Socks5Handshake(WITH_PASSWORD, "192.0.2.25", 25),
                concat(bytes(5, 2), bytes(5, 0), OK_IPV4)).done()).isTrue();
    }

    @Test
    void silenceOrACloseBeforeTheConnectRequestIsTheProxysFailureAfterItTheTargetTimedOut() {
        Socks5Handshake h = new Socks5Handshake(PROXY, "192.0.2.25", 25);
        h.start();
        assertThat(h.timedOut(Duration.ofSeconds(10)).verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(h.closed().verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(h.closed().getMessage()).contains("before sending anything");
        assertThat(h.onBytes(ByteBuffer.wrap(bytes(5, 0)))).isInstanceOf(ProxyHandshake.Send.class);
        assertThat(h.timedOut(Duration.ofSeconds(10)).verdict()).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
        assertThat(h.timedOut(Duration.ofSeconds(10)).getMessage()).contains("192.0.2.25:25", "10 s",
                "SOCKS5 proxy 127.0.0.1:1080");
        assertThat(h.closed().verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(h.closed().getMessage()).contains("without answering the request for 192.0.2.25:25",
                "'\\x05\\x00'");
    }

    @Test
    void itIsOverAfterItsLastAnswer() {
        Socks5Handshake h = new Socks5Handshake(PROXY, "192.0.2.25", 25);
        h.start();
        h.onBytes(ByteBuffer.wrap(bytes(5, 0xff)));
        assertThatThrownBy(() -> h.onBytes(ByteBuffer.wrap(bytes(5, 0)))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aNameLongerThan255OctetsCannotBeSent() {
        String name = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".e";
        assertThatThrownBy(() -> new Socks5Handshake(PROXY, name + "xxxx", 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("targetHost");
        assertThatThrownBy(() -> new Socks5Handshake(PROXY, "mx.example.net", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("targetPort");
    }

    @Test
    void thePasswordIsInNoTextOnlyInTheSubNegotiation() {
        Socks5Handshake h = new Socks5Handshake(WITH_PASSWORD, "192.0.2.25", 25);
        assertThat(h.toString()).contains("alice").doesNotContain("s3cret");
        assertThat(WITH_PASSWORD.toString()).isEqualTo("ProxyConfig[socks5://alice:<redacted>@127.0.0.1:1080]");
    }
}
