package dev.smtpprobe.internal.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.proxy.TunnelDriver.Outcome;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handshakes against real proxies from Debian packages, started on loopback with a configuration written here:
 * Dante ({@code dante-server}, SOCKS5 and SOCKS4) and Tinyproxy ({@code tinyproxy}, HTTP CONNECT with Basic
 * authentication). Each test is skipped, saying why, when its package is not installed.
 */
class DebianProxiesTest {

    private static final Path DANTED = Path.of("/usr/sbin/danted");
    private static final Path TINYPROXY = Path.of("/usr/bin/tinyproxy");
    private static final Duration READ = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private MockSmtpServer smtp;
    private Process process;

    @BeforeEach
    void smtpServer() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        smtp.close();
    }

    @Test
    void dante() throws Exception {
        assumeTrue(Files.isExecutable(DANTED), "dante-server is not installed (/usr/sbin/danted)");
        assumeTrue("root".equals(System.getProperty("user.name")), "danted needs root to switch to user nobody");
        int port = Ports.closed();
        int blocked = Ports.closed();
        int refused = Ports.closed();
        Path conf = dir.resolve("danted.conf");
        Files.writeString(conf, String.join("\n",
                "logoutput: stderr",
                "internal: 127.0.0.1 port = " + port,
                "external: 127.0.0.1",
                "clientmethod: none",
                "socksmethod: none",
                "user.privileged: root",
                "user.unprivileged: nobody",
                "client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }",
                "socks block { from: 0.0.0.0/0 to: 127.0.0.1/32 port = " + blocked + " }",
                "socks pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }", ""));
        start(port, DANTED.toString(), "-f", conf.toString(), "-N", "1");

        ProxyConfig socks5 = ProxyConfig.socks5("127.0.0.1", port);
        Outcome ok = TunnelDriver.run(socks5, "127.0.0.1", smtp.port(), READ);
        assertThat(ok.greeting()).isEqualTo("220 mx.test ESMTP");
        assertThat(TunnelDriver.run(socks5, "localhost", smtp.port(), READ).greeting()).isEqualTo("220 mx.test ESMTP");

        Outcome denied = TunnelDriver.run(socks5, "127.0.0.1", blocked, READ);
        assertThat(denied.verdict()).isEqualTo(Verdict.PROXY_DENIED);
        Outcome target = TunnelDriver.run(socks5, "127.0.0.1", refused, READ);
        assertThat(target.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(target.message()).contains("as reported by the SOCKS5 proxy 127.0.0.1:" + port);

        ProxyConfig socks4 = ProxyConfig.socks4a("127.0.0.1", port);
        assertThat(TunnelDriver.run(socks4, "127.0.0.1", smtp.port(), READ).greeting()).isEqualTo("220 mx.test ESMTP");
        assertThat(TunnelDriver.run(socks4, "127.0.0.1", blocked, READ).verdict()).isEqualTo(Verdict.PROXY_DENIED);
    }

    @Test
    void tinyproxy() throws Exception {
        assumeTrue(Files.isExecutable(TINYPROXY), "tinyproxy is not installed (/usr/bin/tinyproxy)");
        int port = Ports.closed();
        int notAllowed = Ports.closed();
        boolean root = "root".equals(System.getProperty("user.name"));
        Path conf = dir.resolve("tinyproxy.conf");
        Files.writeString(conf, String.join("\n",
                root ? "User nobody" : "",
                root ? "Group nogroup" : "",
                "Port " + port,
                "Listen 127.0.0.1",
                "Timeout 10",
                "LogLevel Info",
                "MaxClients 20",
                "Allow 127.0.0.1",
                "ConnectPort " + smtp.port(),
                "BasicAuth alice s3cret", ""));
        start(port, TINYPROXY.toString(), "-d", "-c", conf.toString());

        ProxyConfig http = ProxyConfig.httpConnect("127.0.0.1", port);
        Outcome ok = TunnelDriver.run(http.withCredentials("alice", "s3cret".toCharArray()), "127.0.0.1",
                smtp.port(), READ);
        assertThat(ok.greeting()).isEqualTo("220 mx.test ESMTP");
        assertThat(TunnelDriver.run(http, "127.0.0.1", smtp.port(), READ).verdict())
                .isEqualTo(Verdict.PROXY_AUTH_FAILED);
        // Tinyproxy answers wrong credentials with 401 rather than 407.
        Outcome wrong = TunnelDriver.run(http.withCredentials("alice", "nope".toCharArray()), "127.0.0.1",
                smtp.port(), READ);
        assertThat(wrong.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(wrong.message()).contains("rejected the credentials of user alice").doesNotContain("nope");
        Outcome denied = TunnelDriver.run(http.withCredentials("alice", "s3cret".toCharArray()), "127.0.0.1",
                notAllowed, READ);
        assertThat(denied.verdict()).isEqualTo(Verdict.PROXY_DENIED);
        assertThat(denied.message()).contains("403");
    }

    /** Starts the proxy and waits until it accepts connections on {@code port}. */
    private void start(int port, String... command) throws IOException, InterruptedException {
        process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("proxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                assertThat(process.isAlive()).as("the proxy exited: %s", Files.readString(dir.resolve("proxy.log")))
                        .isTrue();
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the proxy did not listen on " + port + ": " + Files.readString(dir.resolve("proxy.log")));
    }
}
