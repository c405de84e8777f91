package dev.smtpprobe.internal.proxy;

import static dev.smtpprobe.internal.proxy.Exchange.ascii;
import static dev.smtpprobe.internal.proxy.Exchange.bytes;
import static dev.smtpprobe.internal.proxy.Exchange.concat;
import static dev.smtpprobe.internal.proxy.Exchange.everySplit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Socks4aHandshakeTest {

    private static final ProxyConfig PROXY = ProxyConfig.socks4a("127.0.0.1", 1080);
    private static final byte[] GRANTED = bytes(0, 90, 0, 0, 0, 0, 0, 0);

    @Test
    void anIpv4TargetIsAPlainSocks4Request() {
        Exchange e = everySplit(() -> new Socks4aHandshake(PROXY, "192.0.2.25", 25),
                concat(GRANTED, ascii("220 mx ESMTP\r\n")));
        assertThat(e.sent().get(0)).containsExactly(bytes(4, 1, 0, 25, 192, 0, 2, 25, 0));
        assertThat(e.done()).isTrue();
        assertThat(e.leftoverText()).isEqualTo("220 mx ESMTP\r\n");
    }

    @Test
    void aNameGoesAfterTheUserIdWithAddress0001() {
        Exchange e = everySplit(() -> new Socks4aHandshake(PROXY.withUserId("bob"), "mx.example.net", 587), GRANTED);
        assertThat(e.sent().get(0)).containsExactly(concat(bytes(4, 1, 587 >> 8, 587 & 0xff, 0, 0, 0, 1),
                ascii("bob"), bytes(0), ascii("mx.example.net"), bytes(0)));
        assertThat(e.done()).isTrue();
    }

    @Test
    void anIpv6LiteralIsSentAsAName() {
        Exchange e = everySplit(() -> new Socks4aHandshake(PROXY, "[2001:db8::25]", 25), GRANTED);
        assertThat(e.sent().get(0)).containsExactly(concat(bytes(4, 1, 0, 25, 0, 0, 0, 1, 0), ascii("2001:db8::25"),
                bytes(0)));
    }

    @ParameterizedTest
    @CsvSource({
        "91, PROXY_DENIED, request rejected or failed",
        "92, PROXY_AUTH_FAILED, could not confirm the user id with identd",
        "93, PROXY_AUTH_FAILED, identd on this host reported another user id",
        "42, PROXY_UNREACHABLE, reply code 42"})
    void eachReplyCodeHasItsVerdict(int code, Verdict verdict, String words) {
        Exchange e = everySplit(() -> new Socks4aHandshake(PROXY, "mx.example.net", 25), bytes(0, code, 0, 0));
        assertThat(e.verdict()).isEqualTo(verdict);
        assertThat(e.message()).contains("SOCKS4a proxy", "127.0.0.1:1080", words);
        if (code != 42) {
            assertThat(e.message()).contains("mx.example.net:25");
        }
    }

    @Test
    void aSocks5ProxyAnsweringIsNotASocks4Proxy() {
        Exchange e = everySplit(() -> new Socks4aHandshake(PROXY, "192.0.2.25", 25), bytes(5, 0xff));
        assertThat(e.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(e.message()).startsWith("127.0.0.1:1080 is not a working SOCKS4a proxy");
    }

    @Test
    void silenceAfterTheRequestIsATimeoutReportedByTheProxy() {
        Socks4aHandshake h = new Socks4aHandshake(PROXY, "192.0.2.25", 25);
        h.start();
        assertThat(h.timedOut(Duration.ofMillis(1500)).verdict()).isEqualTo(Verdict.CONNECTION_TIMED_OUT);
        assertThat(h.timedOut(Duration.ofMillis(1500)).getMessage()).contains("1.5 s", "192.0.2.25:25");
        assertThat(h.closed().verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
    }
}
