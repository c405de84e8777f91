package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ProxyConfigTest {

    @Test
    void factoriesKeepTypeHostAndPort() {
        ProxyConfig socks = ProxyConfig.socks5("proxy.corp.example", 1080);
        assertThat(socks.type()).isEqualTo(ProxyConfig.Type.SOCKS5);
        assertThat(socks.describe()).isEqualTo("SOCKS5 proxy proxy.corp.example:1080");
        assertThat(ProxyConfig.socks4a("192.0.2.1", 1081).describe()).isEqualTo("SOCKS4a proxy 192.0.2.1:1081");
        ProxyConfig http = ProxyConfig.httpConnect("[2001:db8::3]", 3128);
        assertThat(http.host()).isEqualTo("2001:db8::3");
        assertThat(http.authority()).isEqualTo("[2001:db8::3]:3128");
        assertThat(http.toString()).isEqualTo("ProxyConfig[http://[2001:db8::3]:3128]");
        assertThat(socks.username()).isEmpty();
        assertThat(socks.hasPassword()).isFalse();
    }

    @Test
    void badArgumentsAreRejectedNamingThem() {
        assertThatThrownBy(() -> ProxyConfig.socks5(null, 1080)).hasMessageStartingWith("host");
        assertThatThrownBy(() -> ProxyConfig.socks5(" proxy", 1080)).hasMessageStartingWith("host");
        assertThatThrownBy(() -> ProxyConfig.socks5("proxy\r\nX", 1080)).hasMessageStartingWith("host");
        assertThatThrownBy(() -> ProxyConfig.socks5("bad_name!", 1080)).hasMessageStartingWith("host");
        assertThatThrownBy(() -> ProxyConfig.socks5("proxy", 0)).hasMessageStartingWith("port");
        assertThatThrownBy(() -> ProxyConfig.httpConnect("proxy", 65536)).hasMessageStartingWith("port");
        assertThatThrownBy(() -> ProxyConfig.of(null, "proxy", 1)).hasMessageStartingWith("type");
        ProxyConfig socks = ProxyConfig.socks5("proxy", 1080);
        assertThatThrownBy(() -> socks.withCredentials(null, "x".toCharArray())).hasMessageStartingWith("username");
        assertThatThrownBy(() -> socks.withCredentials("alice", null)).hasMessageStartingWith("password");
        assertThatThrownBy(() -> socks.withCredentials("alice", new char[0])).hasMessageStartingWith("password");
        assertThatThrownBy(() -> socks.withCredentials("alice", "a\nb".toCharArray()))
                .hasMessageStartingWith("password").hasMessageNotContaining("a\nb");
        assertThatThrownBy(() -> socks.withCredentials("alice", "p".repeat(256).toCharArray()))
                .hasMessageStartingWith("password must be at most 255 octets");
        assertThatThrownBy(() -> socks.withCredentials("u".repeat(256), "p".toCharArray()))
                .hasMessageStartingWith("username must be at most 255 octets");
        assertThatThrownBy(() -> ProxyConfig.httpConnect("proxy", 3128).withCredentials("a:b", "p".toCharArray()))
                .hasMessageStartingWith("username must not contain ':'");
        assertThatThrownBy(() -> ProxyConfig.socks4a("proxy", 1080).withCredentials("a", "p".toCharArray()))
                .hasMessageStartingWith("type SOCKS4a carries no password");
        assertThatThrownBy(() -> socks.withUserId("bob")).hasMessageStartingWith("type SOCKS5");
        assertThatThrownBy(() -> SmtpProbe.to("mx.example.net").proxy(null)).hasMessage("proxy must not be null");
    }

    @Test
    void thePasswordIsCopiedAndNeverShown() {
        char[] password = "s3cret".toCharArray();
        ProxyConfig proxy = ProxyConfig.socks5("proxy", 1080).withCredentials("alice", password);
        Arrays.fill(password, 'x');
        assertThat(proxy.toString()).isEqualTo("ProxyConfig[socks5://alice:<redacted>@proxy:1080]");
        assertThat(proxy.hasPassword()).isTrue();
        assertThat(proxy).isEqualTo(ProxyConfig.socks5("proxy", 1080).withCredentials("alice", "s3cret".toCharArray()));
        assertThat(proxy).isNotEqualTo(ProxyConfig.socks5("proxy", 1080).withCredentials("alice", "other".toCharArray()));
        assertThat(ProxyConfig.socks4a("proxy", 1080).withUserId("bob").toString())
                .isEqualTo("ProxyConfig[socks4a://bob@proxy:1080]");
    }

    @Test
    void theBuilderKeepsTheProxy() {
        ProxyConfig proxy = ProxyConfig.httpConnect("proxy", 3128);
        assertThat(SmtpProbe.to("mx.example.net").proxy(proxy).build().proxy()).contains(proxy);
        assertThat(SmtpProbe.to("mx.example.net").build().proxy()).isEmpty();
    }

    @Test
    void noPropertiesNoProxy() {
        assertThat(ProxyConfig.fromProperties(new Properties())).isEmpty();
        assertThatThrownBy(() -> ProxyConfig.fromProperties(null)).hasMessageStartingWith("properties");
    }

    @Test
    void theJvmsSocksProxyWithVersionPortAndCredentials() {
        Properties p = new Properties();
        p.setProperty("socksProxyHost", "socks.corp.example");
        assertThat(ProxyConfig.fromProperties(p)).contains(ProxyConfig.socks5("socks.corp.example", 1080));
        p.setProperty("socksProxyPort", "1090");
        p.setProperty("java.net.socks.username", "alice");
        p.setProperty("java.net.socks.password", "s3cret");
        assertThat(ProxyConfig.fromProperties(p)).contains(
                ProxyConfig.socks5("socks.corp.example", 1090).withCredentials("alice", "s3cret".toCharArray()));
        p.setProperty("socksProxyVersion", "4");
        assertThat(ProxyConfig.fromProperties(p)).contains(
                ProxyConfig.socks4a("socks.corp.example", 1090).withUserId("alice"));
        p.setProperty("socksProxyVersion", "6");
        assertThatThrownBy(() -> ProxyConfig.fromProperties(p)).hasMessageStartingWith("socksProxyVersion");
        p.setProperty("socksProxyVersion", "5");
        p.setProperty("socksProxyPort", "x");
        assertThatThrownBy(() -> ProxyConfig.fromProperties(p)).hasMessageStartingWith("socksProxyPort");
        p.setProperty("socksProxyPort", "99999");
        assertThatThrownBy(() -> ProxyConfig.fromProperties(p)).hasMessageStartingWith("socksProxyPort");
    }

    @Test
    void jakartaMailsProxyComesFirstThenItsSocksProxy() {
        Properties p = new Properties();
        p.setProperty("socksProxyHost", "jvm.example");
        p.setProperty("mail.smtp.socks.host", "mailsocks.example:1085");
        assertThat(ProxyConfig.fromProperties(p)).contains(ProxyConfig.socks5("mailsocks.example", 1085));
        p.setProperty("mail.smtp.proxy.host", "http.example");
        assertThat(ProxyConfig.fromProperties(p)).contains(ProxyConfig.httpConnect("http.example", 80));
        p.setProperty("mail.smtp.proxy.port", "3128");
        p.setProperty("mail.smtp.proxy.user", "alice");
        p.setProperty("mail.smtp.proxy.password", "s3cret");
        assertThat(ProxyConfig.fromProperties(p)).contains(
                ProxyConfig.httpConnect("http.example", 3128).withCredentials("alice", "s3cret".toCharArray()));
        p.setProperty("mail.smtp.proxy.host", "[2001:db8::1]:8080");
        assertThat(ProxyConfig.fromProperties(p).orElseThrow().authority()).isEqualTo("[2001:db8::1]:8080");
        p.setProperty("mail.smtp.proxy.host", "bad host");
        assertThatThrownBy(() -> ProxyConfig.fromProperties(p)).hasMessageStartingWith("mail.smtp.proxy.host");
        p.setProperty("mail.smtp.proxy.host", "http.example");
        p.setProperty("mail.smtp.proxy.user", "a:b");
        assertThatThrownBy(() -> ProxyConfig.fromProperties(p))
                .hasMessageStartingWith("mail.smtp.proxy.user/mail.smtp.proxy.password: username")
                .hasMessageNotContaining("s3cret");
    }
}
