package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.proxy.MockProxyServer;
import dev.smtpprobe.testkit.proxy.ProxyRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --proxy} end to end, in-process: the testkit's proxy on loopback in front of a scripted SMTP server. */
class ProxyCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private MockSmtpServer smtp;
    private MockProxyServer proxy;

    @BeforeEach
    void smtpServer() {
        smtp = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING"));
    }

    @AfterEach
    void close() {
        if (proxy != null) {
            proxy.close();
        }
        smtp.close();
    }

    private int run(Map<String, String> env, String... args) {
        return SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), env, Style.PLAIN);
    }

    private String target() {
        return "127.0.0.1:" + smtp.port();
    }

    @Test
    void humanOutputNamesTheProxyAndTheTranscriptShowsTheTunnel() throws Exception {
        proxy = MockProxyServer.socks5().start();

        int status = run(Map.of(), "--proxy", "socks5://127.0.0.1:" + proxy.port(), "--ehlo", "probe.test",
                "--transcript", target());

        assertThat(status).as(out + "" + err).isZero();
        assertThat(out.toString()).containsPattern("proxy +SOCKS5 proxy 127\\.0\\.0\\.1:" + proxy.port())
                .contains("tunnel to " + target() + " open through the SOCKS5 proxy 127.0.0.1:" + proxy.port());
        ProxyRequest request = proxy.takeRequest(Duration.ofSeconds(2));
        assertThat(request.targetPort()).isEqualTo(smtp.port());
        assertThat(smtp.connections().get(0).commands()).containsExactly("EHLO probe.test", "QUIT");
    }

    @Test
    void jsonCarriesTheHopAndThePasswordFromTheEnvironmentNeverAppears() throws Exception {
        proxy = MockProxyServer.httpConnect().credentials("alice", "s3cret").start();

        int status = run(Map.of(ProxyOption.PASSWORD_VARIABLE, "s3cret"), "--proxy",
                "http://alice@127.0.0.1:" + proxy.port(), "--json", target());

        assertThat(status).as(out + "" + err).isZero();
        assertThat(out.toString()).doesNotContain("s3cret");
        JsonNode json = Json.mapper().readTree(out.toString());
        assertThat(json.get("verdict").asText()).isEqualTo("OK");
        List<String> notes = new ArrayList<>();
        json.get("attempts").get(0).get("transcript").forEach(l -> notes.add(l.get("text").asText()));
        assertThat(notes).anySatisfy(n -> assertThat(n).startsWith("tunnel to " + target()
                + " open through the HTTP proxy 127.0.0.1:" + proxy.port()));
        assertThat(proxy.takeRequest(Duration.ofSeconds(2)).username()).isEqualTo("alice");
    }

    @Test
    void aProxyThatIsNotThereIsProxyUnreachableWithTheTcpExitCode() {
        int closed = Ports.closed();

        int status = run(Map.of(), "--proxy", "socks5://127.0.0.1:" + closed, target());

        assertThat(status).isEqualTo(ExitCode.TCP.code());
        assertThat(out.toString()).contains("PROXY_UNREACHABLE", "SOCKS5 proxy 127.0.0.1:" + closed)
                .doesNotContain("LOCAL_LISTENER");
        assertThat(smtp.connectionCount()).isZero();
    }
}
