package dev.smtpprobe.examples.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Layer;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.jackson.SmtpProbeModule;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The machine form of a result as a library user writes it: real {@link ProbeResult}s (over loopback, through the
 * Netty transport found by ServiceLoader) written by an {@link ObjectMapper} with the {@link SmtpProbeModule}, the one
 * JSON contract (the CLI's {@code --json} writes the same), then read back as a tree. Every timer here guards an answer that comes, so all are
 * generous.
 */
class ResultJsonTest {

    private static final TestCertificates CERTS = TestCertificates.shared();
    private static final Duration ANSWER = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new SmtpProbeModule());

    private static SmtpProbe.Builder probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).trustManager(CERTS.trustManager()).ehloName("client.test")
                .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER).deadline(Duration.ofSeconds(15));
    }

    private static JsonNode roundTrip(ProbeResult result) throws Exception {
        String text = JSON.writeValueAsString(result);
        JsonNode tree = JSON.readTree(text);
        assertThat(tree.isObject()).isTrue();
        return tree;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path(field).asText()));
        return out;
    }

    @Test
    void anOkResultWithStartTls() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP")
                .ehlo("mx.test", "PIPELINING", "STARTTLS").onStartTls(CERTS.valid().tls()))) {
            ProbeResult result = probe(server.port()).tls(TlsMode.STARTTLS_REQUIRED).run();
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);

            JsonNode json = roundTrip(result);

            assertThat(json.path("target").asText()).isEqualTo("127.0.0.1");
            assertThat(json.path("verdict").asText()).isEqualTo("OK");
            assertThat(Verdict.valueOf(json.path("verdict").asText()).layer()).isEqualTo(result.layer());
            assertThat(json.path("ok").asBoolean()).isTrue();
            assertThat(json.path("phase").asText()).isEqualTo("QUIT");
            JsonNode attempt = json.path("attempts").get(0);
            assertThat(json.path("attempts").size()).isEqualTo(1);
            assertThat(attempt.path("remote").asText()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(attempt.path("tlsMode").asText()).isEqualTo("STARTTLS_REQUIRED");
            assertThat(attempt.path("greeting").path("code").asInt()).isEqualTo(220);
            assertThat(attempt.path("capabilities").path("extensions").toString()).contains("PIPELINING");
            JsonNode tls = attempt.path("tls");
            assertThat(tls.path("protocol").asText()).isEqualTo(result.tls().protocol()).startsWith("TLSv1.");
            assertThat(tls.path("cipherSuite").asText()).isEqualTo(result.tls().cipherSuite());
            assertThat(tls.path("peerCertificates").get(0).path("subject").asText())
                    .isEqualTo(result.tls().peerCertificates().get(0).subject());
            assertThat(texts(attempt.path("transcript"), "text")).contains("EHLO client.test", "STARTTLS", "QUIT");
            assertThat(attempt.path("transcript").get(0).path("direction").asText()).isNotEmpty();
            assertThat(attempt.path("timingsMs").has("CONNECT")).isTrue();
            assertThat(json.path("hints").isArray()).isTrue();
            assertThat(json.path("startedAt").isTextual()).isTrue();
            assertThat(json.path("schemaVersion").asText()).isEqualTo(SmtpProbeModule.SCHEMA_VERSION);
        }
    }

    @Test
    void aRejectionWithItsPolicyReasonAndHint() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(
                Script.greeting("554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org"))) {
            ProbeResult result = probe(server.port()).tls(TlsMode.NONE).run();
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.SMTP_PERMANENT_REJECTION);

            JsonNode json = roundTrip(result);

            assertThat(json.path("verdict").asText()).isEqualTo("SMTP_PERMANENT_REJECTION");
            assertThat(Verdict.valueOf(json.path("verdict").asText()).layer()).isEqualTo(Layer.SMTP);
            assertThat(json.path("ok").asBoolean()).isFalse();
            assertThat(json.path("phase").asText()).isEqualTo("GREETING");
            assertThat(json.path("policyReason").asText()).isEqualTo("BLOCKLIST");
            assertThat(json.path("detail").asText()).isEqualTo(result.detail());
            JsonNode attempt = json.path("attempts").get(0);
            assertThat(attempt.path("lastReply").path("code").asInt()).isEqualTo(554);
            assertThat(attempt.path("lastReply").path("enhancedStatus").path("statusClass").asInt()).isEqualTo(5);
            assertThat(attempt.path("tls").isNull()).isTrue();
            assertThat(texts(json.path("hints"), "code")).contains(HintCode.BLOCKLIST_IN_REPLY.name());
            assertThat(json.path("hints").get(0).path("evidence").toString()).contains("zen.spamhaus.org");
        }
    }

    @Test
    void anMxProbeWithItsResolution() throws Exception {
        try (MockDnsServer dns = MockDnsServer.start();
             MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.example.test ESMTP")
                     .ehlo("mx.example.test", "PIPELINING"))) {
            dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
            ProbeResult result = SmtpProbe.mx("example.test").resolver(dns.host(), dns.port()).dnsTimeout(ANSWER)
                    .ipVersion(IpVersion.V4_ONLY).port(server.port()).tls(TlsMode.NONE).ehloName("client.test")
                    .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER)
                    .deadline(Duration.ofSeconds(15)).run();
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);

            JsonNode json = roundTrip(result);

            assertThat(json.path("verdict").asText()).isEqualTo("OK");
            JsonNode resolution = json.path("resolution");
            assertThat(resolution.path("kind").asText()).isEqualTo("MX");
            assertThat(resolution.path("hosts").get(0).path("name").asText()).isEqualTo("mx.example.test");
            assertThat(resolution.path("hosts").get(0).path("preference").asInt()).isEqualTo(10);
            assertThat(resolution.path("hosts").get(0).path("addresses").get(0).asText()).isEqualTo("127.0.0.1");
            assertThat(json.path("attempts").get(0).path("host").asText()).isEqualTo("mx.example.test");
            // The resolver's addresses carry the name they were looked up by; the JSON must show the address.
            assertThat(json.path("attempts").get(0).path("remote").asText()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(json.path("ports").get(0).asInt()).isEqualTo(server.port());
        }
    }
}
