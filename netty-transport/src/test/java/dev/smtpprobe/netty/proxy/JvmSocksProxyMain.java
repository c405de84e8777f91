package dev.smtpprobe.netty.proxy;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Probes {@code 127.0.0.1:port} once with {@code run()} (the JDK-socket path) and once with {@code runAsync()} (the
 * event loops), in a JVM whose own SOCKS proxy is set ({@code -DsocksProxyHost}): run in a child JVM by
 * {@link JvmSocksProxyTest}, since the JVM's proxy properties are global. The JVM's proxy selector is replaced by
 * one that records what it is asked (and answers "direct"): the JDK consults it when a socket leaves the proxying
 * to the JDK, loopback included. Prints each verdict and detail, then what the selector was asked.
 */
public final class JvmSocksProxyMain {

    private JvmSocksProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        List<URI> asked = new CopyOnWriteArrayList<>();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress address, IOException e) {
            }
        });
        SmtpProbe probe = SmtpProbe.to("127.0.0.1").port(Integer.parseInt(args[0])).tls(TlsMode.NONE)
                .ehloName("probe.test").deadline(Duration.ofSeconds(5)).build();
        print("run", probe.run());
        print("runAsync", probe.runAsync().get(10, TimeUnit.SECONDS));
        System.out.println("selector asked " + asked);
        System.exit(0);
    }

    private static void print(String how, ProbeResult r) {
        System.out.println(how + " verdict=" + r.verdict() + " detail=" + r.detail());
    }
}
