package dev.smtpprobe.netty.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.netty.junit.ChildJvm;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.proxy.MockProxyServer;
import dev.smtpprobe.testkit.proxy.ProxyRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM's own SOCKS proxy ({@code -DsocksProxyHost}) is used once: the probe routes through it itself, so neither
 * transport may let the JDK wrap the connection to the proxy in SOCKS a second time (a tunnel to the proxy through
 * the proxy). The child JVM's proxy selector records what the JDK asks it, which it does for every socket whose
 * proxying is left to the JDK (loopback included): it must be asked nothing.
 */
class JvmSocksProxyTest {

    @Test
    void theJvmsSocksProxyCarriesEachProbeOnceOnBothTransports() throws Exception {
        try (MockSmtpServer smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"));
             MockProxyServer proxy = MockProxyServer.socks5().start()) {
            List<String> out = ChildJvm.run(JvmSocksProxyMain.class,
                    List.of("-DsocksProxyHost=127.0.0.1", "-DsocksProxyPort=" + proxy.port()),
                    Integer.toString(smtp.port()));

            assertThat(out).anySatisfy(l -> assertThat(l).startsWith("run verdict=OK"));
            assertThat(out).anySatisfy(l -> assertThat(l).startsWith("runAsync verdict=OK"));
            assertThat(proxy.requests()).as("one tunnel per probe, each to the mail server")
                    .extracting(ProxyRequest::targetPort).containsExactly(smtp.port(), smtp.port());
            assertThat(smtp.connectionCount()).isEqualTo(2);
            assertThat(out).as("the JDK's own proxy layer is never in the path").contains("selector asked []");
        }
    }
}
