package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TestAccess;
import dev.smtpprobe.Verdict;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which proxy a probe takes, and where its attempts connect. */
class ProxyRouteTest {

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }

    @Test
    void theJvmsSocksProxyIsReadFromItsOwnKeysOnly() {
        assertThat(ProxyRoute.jvmSocksProxy(props("socksProxyHost", "socks.corp", "socksProxyPort", "1081")))
                .contains(ProxyConfig.socks5("socks.corp", 1081));
        assertThat(ProxyRoute.jvmSocksProxy(props("socksProxyHost", "socks.corp", "socksProxyVersion", "4")))
                .contains(ProxyConfig.socks4a("socks.corp", 1080));
        // Jakarta Mail's keys configure a session, not the JVM's sockets.
        assertThat(ProxyRoute.jvmSocksProxy(props("mail.smtp.proxy.host", "proxy.corp", "mail.smtp.socks.host", "s")))
                .isEmpty();
        assertThat(ProxyRoute.jvmSocksProxy(props())).isEmpty();
    }

    @Test
    void anUnusableJvmSocksProxyIsIgnoredNotThrown() {
        assertThat(ProxyRoute.jvmSocksProxy(props("socksProxyHost", "socks.corp", "socksProxyPort", "x"))).isEmpty();
        assertThat(ProxyRoute.jvmSocksProxy(props("socksProxyHost", "socks.corp", "socksProxyVersion", "6")))
                .isEmpty();
    }

    @Test
    void anExplicitProxyWithAnAddressNeedsNoLookupAndAttemptsConnectToIt() {
        ProxyConfig proxy = ProxyConfig.httpConnect("192.0.2.7", 3128);
        ProbeConfig config = TestAccess.config(SmtpProbe.to("mx.example.net").proxy(proxy).build());

        ProxyRoute route = ProxyRoute.of(config, Duration.ofSeconds(1), Ticker.SYSTEM).join();

        assertThat(route.isDirect()).isFalse();
        assertThat(route.failure()).isNull();
        assertThat(route.connectTo(new InetSocketAddress("198.51.100.25", 25)))
                .isEqualTo(new InetSocketAddress("192.0.2.7", 3128));
        assertThat(route.describe()).isEqualTo(" through the HTTP proxy 192.0.2.7:3128");
    }

    @Test
    void aProxyNameThatDoesNotResolveIsProxyUnreachableForEveryAttempt() {
        ProxyConfig proxy = ProxyConfig.socks5("no-such-proxy.invalid", 1080);
        ProbeConfig config = TestAccess.config(SmtpProbe.to("mx.example.net").proxy(proxy).build());

        ProxyRoute route = ProxyRoute.of(config, Duration.ofSeconds(3), Ticker.SYSTEM).join();

        assertThat(route.failure()).isNotNull();
        assertThat(route.failure().verdict()).isEqualTo(Verdict.PROXY_UNREACHABLE);
        assertThat(route.failure().getMessage()).contains("SOCKS5 proxy no-such-proxy.invalid:1080",
                "cannot resolve the proxy host no-such-proxy.invalid");
    }

    @Test
    void withoutAProxyTheRouteIsDirect() {
        ProbeConfig config = TestAccess.config(SmtpProbe.to("mx.example.net").build());
        Properties saved = System.getProperties();
        assertThat(saved.getProperty("socksProxyHost")).as("this test assumes no JVM SOCKS proxy").isNull();

        ProxyRoute route = ProxyRoute.of(config, Duration.ofSeconds(1), Ticker.SYSTEM).join();

        assertThat(route).isSameAs(ProxyRoute.DIRECT);
        InetSocketAddress target = new InetSocketAddress("198.51.100.25", 25);
        assertThat(route.connectTo(target)).isSameAs(target);
        assertThat(route.describe()).isEmpty();
    }
}
