package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.ProxyConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyOptionTest {

    private static final Map<String, String> PASSWORD = Map.of(ProxyOption.PASSWORD_VARIABLE, "s3cret");

    private static ProxyConfig parse(String value, Map<String, String> env) {
        return ProxyOption.parse(value, env, () -> null);
    }

    @Test
    void eachSchemeWithItsDefaultPort() {
        assertThat(parse("socks5://proxy.corp.example:1081", Map.of()))
                .isEqualTo(ProxyConfig.socks5("proxy.corp.example", 1081));
        assertThat(parse("socks5://proxy.corp.example", Map.of())).isEqualTo(ProxyConfig.socks5("proxy.corp.example", 1080));
        assertThat(parse("socks4a://bob@192.0.2.1", Map.of()))
                .isEqualTo(ProxyConfig.socks4a("192.0.2.1", 1080).withUserId("bob"));
        assertThat(parse("http://[2001:db8::1]:3128/", Map.of()))
                .isEqualTo(ProxyConfig.httpConnect("2001:db8::1", 3128));
        assertThat(parse("HTTP://proxy", Map.of())).isEqualTo(ProxyConfig.httpConnect("proxy", 80));
    }

    @Test
    void thePasswordComesFromTheEnvironment() {
        assertThat(parse("socks5://alice@proxy:1080", PASSWORD))
                .isEqualTo(ProxyConfig.socks5("proxy", 1080).withCredentials("alice", "s3cret".toCharArray()));
        assertThat(parse("http://alice@proxy:3128", PASSWORD).toString())
                .isEqualTo("ProxyConfig[http://alice:<redacted>@proxy:3128]");
        assertThatThrownBy(() -> parse("socks5://alice@proxy:1080", Map.of()))
                .hasMessageContaining("needs the password in the environment variable SMTP_PROBE_PROXY_PASSWORD");
    }

    @ParameterizedTest
    @ValueSource(strings = {"proxy:1080", "ftp://proxy:21", "socks5://proxy:0", "socks5://proxy:99999",
        "socks5://alice:s3cret@proxy:1080", "socks5://pro xy:1080", "socks5://", "http://a:b@proxy",
        "socks5://alice:s3cret with space@proxy"})
    void badValuesAreUsageErrorsThatNeverQuoteAPassword(String value) {
        assertThatThrownBy(() -> parse(value, PASSWORD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--proxy").satisfies(e -> {
                    if (value.contains("s3cret")) {
                        assertThat(e.getMessage()).doesNotContain("s3cret");
                    }
                });
    }

    @Test
    void onTheCommandLineABadProxyIsExit64BeforeAnyProbe() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = SmtpProbeCli.execute(new String[] {"--proxy", "socks5://alice:s3cret@proxy:1080", "127.0.0.1"},
                new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
        assertThat(status).isEqualTo(64);
        assertThat(err.toString()).startsWith("smtp-probe: --proxy must not carry a password").doesNotContain("s3cret");
        assertThat(out.toString()).isEmpty();
    }
}
