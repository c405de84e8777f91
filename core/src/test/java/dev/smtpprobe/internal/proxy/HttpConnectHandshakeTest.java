package dev.smtpprobe.internal.proxy;

import static dev.smtpprobe.internal.proxy.Exchange.ascii;
import static dev.smtpprobe.internal.proxy.Exchange.everySplit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpConnectHandshakeTest {

    private static final ProxyConfig PROXY = ProxyConfig.httpConnect("127.0.0.1", 3128);
    private static final ProxyConfig WITH_PASSWORD = PROXY.withCredentials("alice", "s3cret".toCharArray());

    @Test
    void connectNamesTheTargetInAuthorityFormAndKeepsWhatFollowsTheHeader() {
        Exchange e = everySplit(() -> new HttpConnectHandshake(PROXY, "mx.example.net", 25),
                ascii("HTTP/1.1 200 Connection established\r\nVia: 1.1 proxy\r\n\r\n220 mx ESMTP\r\n"));
        assertThat(new String(e.sent().get(0), StandardCharsets.US_ASCII))
                .isEqualTo("CONNECT mx.example.net:25 HTTP/1.1\r\nHost: mx.example.net:25\r\n\r\n");
        assertThat(e.done()).isTrue();
        assertThat(e.leftoverText()).isEqualTo("220 mx ESMTP\r\n");
    }

    @Test
    void basicCredentialsAndAnIpv6TargetInBrackets() {
        Exchange e = everySplit(() -> new HttpConnectHandshake(WITH_PASSWORD, "2001:db8::25", 587),
                ascii("HTTP/1.0 200\r\n\r\n"));
        assertThat(new String(e.sent().get(0), StandardCharsets.US_ASCII))
                .isEqualTo("CONNECT [2001:db8::25]:587 HTTP/1.1\r\nHost: [2001:db8::25]:587\r\n"
                        + "Proxy-Authorization: Basic YWxpY2U6czNjcmV0\r\n\r\n");
        assertThat(e.done()).isTrue();
        assertThat(e.leftover()).isEmpty();
    }

    @Test
    void bareLineFeedsAndInterimAnswersAreUnderstood() {
        Exchange e = everySplit(() -> new HttpConnectHandshake(PROXY, "192.0.2.25", 25),
                ascii("HTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nX: y\n\n220 ok\r\n"));
        assertThat(e.done()).isTrue();
        assertThat(e.leftoverText()).isEqualTo("220 ok\r\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "407 Proxy Authentication Required | PROXY_AUTH_FAILED | requires credentials, and none are configured",
        "401 Unauthorized | PROXY_AUTH_FAILED | requires credentials, and none are configured",
        "403 Forbidden | PROXY_DENIED | its rules forbid this destination",
        "504 Gateway Timeout | CONNECTION_TIMED_OUT | timed out, as reported by the HTTP proxy 127.0.0.1:3128",
        "502 Bad Gateway | PROXY_UNREACHABLE | did not open the tunnel",
        "503 Service Unavailable | PROXY_UNREACHABLE | did not open the tunnel",
        "301 Moved | PROXY_UNREACHABLE | did not open the tunnel"})
    void eachStatusHasItsVerdictDecidedOnTheStatusLine(String status, Verdict verdict, String words) {
        Exchange e = everySplit(() -> new HttpConnectHandshake(PROXY, "mx.example.net", 25),
                ascii("HTTP/1.1 " + status + "\r\n"));
        assertThat(e.verdict()).isEqualTo(verdict);
        assertThat(e.message()).contains("HTTP proxy 127.0.0.1:3128", "mx.example.net:25", words,
                "HTTP/1.1 " + status);
    }

    @Test
    void a407WithCredentialsNamesTheUserNeverThePassword() {
        Exchange e = everySplit(() -> new HttpConnectHandshake(WITH_PASSWORD, "mx.example.net", 25),
                ascii("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n"));
        assertThat(e.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(e.message()).contains("rejected the credentials of user alice").doesNotContain("s3cret")
                .doesNotContain("YWxpY2U6czNjcmV0");
        assertThat(new HttpConnectHandshake(WITH_PASSWORD, "mx.example.net", 25).toString()).doesNotContain("s3cret");
    }

    @Test
    void anSmtpServerWhereTheProxyShouldBeIsNotAnHttpProxy() {
        Exchange e = everySplit(() -> new HttpConnectHandshake(PROXY, "mx.example.net", 25),
                ascii("220 mx.example.net ESMTP\r\n"));
        assertThat(e.verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(e.message()).startsWith("127.0.0.1:3128 is not a working HTTP proxy")
                .contains("does not start with 'HTTP/'");
        assertThat(everySplit(() -> new HttpConnectHandshake(PROXY, "mx.example.net", 25),
                ascii("HTTP/2 200\r\n\r\n")).verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(everySplit(() -> new HttpConnectHandshake(PROXY, "mx.example.net", 25),
                ascii("HTTP/1.1 2x0 OK\r\n\r\n")).message()).contains("not an HTTP/1.x status line");
    }

    @Test
    void controlCharactersOfTheStatusLineAreEscaped() {
        Exchange e = everySplit(() -> new HttpConnectHandshake(PROXY, "mx.example.net", 25),
                ascii("HTTP/1.1 403 \u001b]0;owned\u0007\r\n"));
        assertThat(e.message()).contains("\\e]0;owned\\x07").doesNotContain("\u001b");
    }

    @Test
    void aHeaderThatNeverEndsFailsAtTheLimitWithoutReadingFurther() {
        byte[] endless = new byte[HttpConnectHandshake.MAX_HEADER * 3];
        Arrays.fill(endless, (byte) 'x');
        byte[] start = ascii("HTTP/1.1 200 OK\r\nX-Long: ");
        System.arraycopy(start, 0, endless, 0, start.length);
        HttpConnectHandshake h = new HttpConnectHandshake(PROXY, "mx.example.net", 25);
        h.start();
        ByteBuffer in = ByteBuffer.wrap(endless);
        ProxyHandshake.Step step = h.onBytes(in);
        assertThat(step).isInstanceOf(ProxyHandshake.Failed.class);
        assertThat(in.position()).isEqualTo(HttpConnectHandshake.MAX_HEADER);
        assertThat(((ProxyHandshake.Failed) step).failure().verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(((ProxyHandshake.Failed) step).failure().getMessage()).contains("more than 8192 octets",
                "HTTP/1.1 200 OK");
    }
}
