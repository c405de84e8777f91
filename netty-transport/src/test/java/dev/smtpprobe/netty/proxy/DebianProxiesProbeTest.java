package dev.smtpprobe.netty.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProxyConfig;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
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
 * The full probe ({@code run()}) through real proxies from Debian packages on loopback: Dante
 * ({@code dante-server}, SOCKS5 and SOCKS4) and Tinyproxy ({@code tinyproxy}, HTTP CONNECT with Basic
 * authentication), to a scripted SMTP server with STARTTLS. Each test is skipped, saying why, when its package is
 * not installed.
 */
class DebianProxiesProbeTest {

    private static final Path DANTED = Path.of("/usr/sbin/danted");
    private static final Path TINYPROXY = Path.of("/usr/bin/tinyproxy");
    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final TestCertificates CERTS = TestCertificates.shared();

    @TempDir
    Path dir;

    private MockSmtpServer smtp;
    private Process process;

    @BeforeEach
    void smtpServer() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "STARTTLS")
                .onStartTls(CERTS.valid().tls()).ehloAfterTls("mx.test", "AUTH PLAIN"));
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

    private static ProbeResult probe(int port, ProxyConfig proxy) {
        return SmtpProbe.to("127.0.0.1").port(port).tls(TlsMode.STARTTLS_REQUIRED).connectTimeout(ANSWER)
                .greetingTimeout(ANSWER).replyTimeout(ANSWER).deadline(Duration.ofSeconds(15)).ehloName("probe.test")
                .trustManager(CERTS.trustManager()).proxy(proxy).build().run();
    }

    private static List<String> notes(ProbeResult result) {
        return result.transcript().stream().filter(l -> l.direction() == TranscriptLine.Direction.INFO)
                .map(TranscriptLine::text).toList();
    }

    @Test
    void dante() throws Exception {
        assumeTrue(Files.isExecutable(DANTED), "dante-server is not installed (/usr/sbin/danted)");
        assumeTrue("root".equals(System.getProperty("user.name")), "danted needs root to switch to user nobody");
        int port = Ports.closed();
        int blocked = Ports.closed();
        int refused = Ports.closed();
        Files.writeString(dir.resolve("danted.conf"), String.join("\n",
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
        start(port, DANTED.toString(), "-f", dir.resolve("danted.conf").toString(), "-N", "1");

        ProxyConfig socks5 = ProxyConfig.socks5("127.0.0.1", port);
        ProbeResult ok = probe(smtp.port(), socks5);
        assertThat(ok.verdict()).as(ok.detail()).isEqualTo(Verdict.OK);
        assertThat(ok.tls()).isNotNull();
        assertThat(notes(ok)).anySatisfy(n -> assertThat(n)
                .startsWith("tunnel to 127.0.0.1:" + smtp.port() + " open through the SOCKS5 proxy 127.0.0.1:" + port));

        assertThat(probe(blocked, socks5).verdict()).isEqualTo(Verdict.PROXY_DENIED);
        ProbeResult target = probe(refused, socks5);
        assertThat(target.verdict()).isEqualTo(Verdict.CONNECTION_REFUSED);
        assertThat(target.detail()).contains("as reported by the SOCKS5 proxy 127.0.0.1:" + port);

        ProbeResult socks4 = probe(smtp.port(), ProxyConfig.socks4a("127.0.0.1", port));
        assertThat(socks4.verdict()).as(socks4.detail()).isEqualTo(Verdict.OK);
    }

    @Test
    void tinyproxy() throws Exception {
        assumeTrue(Files.isExecutable(TINYPROXY), "tinyproxy is not installed (/usr/bin/tinyproxy)");
        int port = Ports.closed();
        int notAllowed = Ports.closed();
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.writeString(dir.resolve("tinyproxy.conf"), String.join("\n",
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
        start(port, TINYPROXY.toString(), "-d", "-c", dir.resolve("tinyproxy.conf").toString());

        ProxyConfig http = ProxyConfig.httpConnect("127.0.0.1", port);
        ProbeResult ok = probe(smtp.port(), http.withCredentials("alice", "s3cret".toCharArray()));
        assertThat(ok.verdict()).as(ok.detail()).isEqualTo(Verdict.OK);
        assertThat(ok.tls()).isNotNull();
        assertThat(notes(ok)).anySatisfy(n -> assertThat(n).startsWith("tunnel to 127.0.0.1:" + smtp.port()
                + " open through the HTTP proxy 127.0.0.1:" + port));

        ProbeResult wrong = probe(smtp.port(), http.withCredentials("alice", "nope".toCharArray()));
        assertThat(wrong.verdict()).isEqualTo(Verdict.PROXY_AUTH_FAILED);
        assertThat(wrong.toString() + wrong.report()).doesNotContain("nope").doesNotContain("s3cret");
        assertThat(probe(notAllowed, http.withCredentials("alice", "s3cret".toCharArray())).verdict())
                .isEqualTo(Verdict.PROXY_DENIED);
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
