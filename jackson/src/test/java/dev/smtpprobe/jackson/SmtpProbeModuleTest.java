package dev.smtpprobe.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.SecretForms;
import dev.smtpprobe.testkit.TestCertificates;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Script the server, run a real probe over loopback, write the result with the module, and check the shape: the
 * schema accepts it, and the fields carry the result's values in the contract's units.
 */
class SmtpProbeModuleTest {

    static final TestCertificates CERTS = TestCertificates.shared();
    static final Duration ANSWER = Duration.ofSeconds(3);
    private static final String PASSWORD = "jackson-secret-9c1e";

    static SmtpProbe.Builder probe(int port) {
        return SmtpProbe.to("127.0.0.1").port(port).trustManager(CERTS.trustManager()).ehloName("client.test")
                .connectTimeout(ANSWER).greetingTimeout(ANSWER).replyTimeout(ANSWER).deadline(Duration.ofSeconds(10));
    }

    static Script submission() {
        return Script.greeting("220 mx.test ESMTP").ehlo("mx.test", "PIPELINING", "STARTTLS", "AUTH PLAIN LOGIN",
                "ENHANCEDSTATUSCODES").onStartTls(CERTS.valid().tls());
    }

    @Test
    void anOkStartTlsResultHasTheAnswerFirstAndDurationsInMilliseconds() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(submission())) {
            ProbeResult result = probe(server.port()).tls(TlsMode.STARTTLS_REQUIRED).run();
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.OK);

            String json = Schemas.write(result);
            JsonNode tree = Schemas.valid(json);

            List<String> first = new ArrayList<>();
            tree.fieldNames().forEachRemaining(first::add);
            assertThat(first.subList(0, 5)).containsExactly("schemaVersion", "ok", "verdict", "layer", "phase");
            assertThat(tree.get("schemaVersion").asText()).isEqualTo(SmtpProbeModule.SCHEMA_VERSION);
            assertThat(tree.get("ok").asBoolean()).isTrue();
            assertThat(tree.get("layer").asText()).isEqualTo("NONE");
            assertThat(tree.get("elapsedMs").isNumber()).isTrue();
            assertThat(tree.get("elapsedMs").asDouble()).isCloseTo(result.elapsed().toNanos() / 1e6,
                    org.assertj.core.data.Offset.offset(0.001));
            assertThat(Instant.parse(tree.get("startedAt").asText())).isEqualTo(result.startedAt());
            assertThat(tree.get("startedAt").asText()).endsWith("Z");
            assertThat(tree.get("portVerdicts").get(String.valueOf(server.port())).asText()).isEqualTo("OK");

            JsonNode attempt = tree.get("attempts").get(0);
            assertThat(attempt.get("remote").asText()).isEqualTo("127.0.0.1:" + server.port());
            assertThat(attempt.get("local").asText()).startsWith("127.0.0.1:");
            JsonNode timings = attempt.get("timingsMs");
            assertThat(timings.size()).isEqualTo(result.timings().size()).isPositive();
            result.timings().forEach((phase, d) -> {
                assertThat(timings.get(phase.name()).isNumber()).as(phase.name()).isTrue();
                assertThat(timings.get(phase.name()).asDouble()).isCloseTo(d.toNanos() / 1e6,
                        org.assertj.core.data.Offset.offset(0.001));
            });
            assertThat(attempt.get("tls").get("protocol").asText()).startsWith("TLSv1.");
            JsonNode leaf = attempt.get("tls").get("peerCertificates").get(0);
            assertThat(Instant.parse(leaf.get("notAfter").asText()))
                    .isEqualTo(result.tls().peerCertificates().get(0).notAfter());
            assertThat(attempt.get("capabilities").get("extensions").toString()).contains("PIPELINING", "AUTH PLAIN LOGIN");
            assertThat(attempt.get("transcript").get(0).get("offsetMs").isNumber()).isTrue();
            assertThat(attempt.get("transcript").toString()).contains("EHLO client.test");
        }
    }

    @Test
    void aWrongPasswordSaysAuthFailedAndTheSecretAppearsInNoForm() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(
                submission().onAuth("535 5.7.8 Authentication credentials invalid"))) {
            ProbeResult result = probe(server.port()).tls(TlsMode.STARTTLS_REQUIRED)
                    .auth("app@example.test", PASSWORD.toCharArray()).run();
            assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.AUTH_FAILED);

            String json = Schemas.write(result);
            JsonNode tree = Schemas.valid(json);

            assertThat(tree.get("ok").asBoolean()).isFalse();
            assertThat(tree.get("layer").asText()).isEqualTo("AUTH");
            JsonNode auth = tree.get("attempts").get(0).get("auth");
            assertThat(auth.get("credentialsSent").asBoolean()).isTrue();
            assertThat(auth.get("reply").get("code").asInt()).isEqualTo(535);
            assertThat(auth.get("reply").get("enhancedStatus").get("detail").asInt()).isEqualTo(8);
            assertThat(SecretForms.reveals(json, PASSWORD)).as(json).isFalse();
            assertThat(SecretForms.reveals(JsonLines.line(result), PASSWORD)).isFalse();
        }
    }

    @Test
    void aRefusedPortHasNullsForWhatNeverHappened() {
        int port = Ports.closed();
        ProbeResult result = probe(port).run();
        assertThat(result.verdict()).as(result.report()).isEqualTo(Verdict.CONNECTION_REFUSED);

        JsonNode tree = Schemas.valid(Schemas.write(result));

        assertThat(tree.get("layer").asText()).isEqualTo("TCP");
        JsonNode attempt = tree.get("attempts").get(0);
        assertThat(attempt.get("greeting").isNull()).isTrue();
        assertThat(attempt.get("tls").isNull()).isTrue();
        assertThat(attempt.get("failure").get("type").asText()).contains("Exception");
        // An address literal: resolved without DNS, and said so.
        assertThat(tree.get("resolution").get("kind").asText()).isEqualTo(result.resolution().kind().name());
        assertThat(tree.get("resolution").get("lookups")).isEmpty();
    }

    @Test
    void aMailDomainCarriesItsResolutionAndANoSuchDomainHasNoAttempt() {
        try (MockDnsServer dns = MockDnsServer.start();
             MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.example.test ESMTP")
                     .ehlo("mx.example.test", "PIPELINING"))) {
            dns.mx("example.test", 10, "mx.example.test").a("mx.example.test", "127.0.0.1");
            String resolver = dns.host() + ":" + dns.port();
            ProbeResult ok = dns(SmtpProbe.mx("example.test").resolver(resolver).port(server.port())).run();
            assertThat(ok.verdict()).as(ok.report()).isEqualTo(Verdict.OK);
            ProbeResult nx = dns(SmtpProbe.mx("nowhere.test").resolver(resolver).port(server.port())).run();
            assertThat(nx.verdict()).as(nx.report()).isEqualTo(Verdict.DNS_NO_SUCH_DOMAIN);

            JsonNode okTree = Schemas.valid(Schemas.write(ok));
            JsonNode resolution = okTree.get("resolution");
            assertThat(resolution.get("kind").asText()).isEqualTo("MX");
            assertThat(resolution.get("hosts").get(0).get("name").asText()).isEqualTo("mx.example.test");
            assertThat(resolution.get("hosts").get(0).get("addresses").get(0).asText()).isEqualTo("127.0.0.1");
            assertThat(resolution.get("elapsedMs").isNumber()).isTrue();
            JsonNode lookup = resolution.get("lookups").get(0);
            assertThat(lookup.get("type").asText()).isEqualTo("MX");
            assertThat(lookup.get("sentMs").isNumber()).isTrue();
            assertThat(lookup.get("answers").get(0).get("ttl").asLong()).isPositive();

            JsonNode nxTree = Schemas.valid(Schemas.write(nx));
            assertThat(nxTree.get("layer").asText()).isEqualTo("DNS");
            assertThat(nxTree.get("decidingIndex").asInt()).isEqualTo(-1);
            assertThat(nxTree.get("attempts")).isEmpty();
        }
    }

    @Test
    void theSchemaRejectsADocumentWithoutItsVersionOrWithAnUndocumentedField() throws Exception {
        int port = Ports.closed();
        JsonNode tree = Schemas.valid(Schemas.write(probe(port).run()));

        ObjectNode unversioned = tree.deepCopy();
        unversioned.remove("schemaVersion");
        assertThat(Schemas.SCHEMA.validate(unversioned)).isNotEmpty();
        ObjectNode extra = tree.deepCopy();
        extra.put("elapsed", "PT0.1S");
        assertThat(Schemas.SCHEMA.validate(extra)).isNotEmpty();
        ObjectNode isoDuration = tree.deepCopy();
        isoDuration.put("elapsedMs", "PT0.1S");
        assertThat(Schemas.SCHEMA.validate(isoDuration)).isNotEmpty();
    }

    @Test
    void aPartAloneIsWrittenInTheSameShapeAsInsideAResult() {
        try (MockSmtpServer server = new MockSmtpServer().start(submission())) {
            ProbeResult result = probe(server.port()).tls(TlsMode.STARTTLS_REQUIRED).run();
            JsonNode whole = Schemas.valid(Schemas.write(result));
            String attempt = Schemas.write(result.attempts().get(0));
            assertThat(attempt).isEqualTo(whole.get("attempts").get(0).toString());
        }
    }

    private static SmtpProbe.Builder dns(SmtpProbe.Builder builder) {
        return builder.trustManager(CERTS.trustManager()).ehloName("client.test").connectTimeout(ANSWER)
                .greetingTimeout(ANSWER).replyTimeout(ANSWER).dnsTimeout(ANSWER).deadline(Duration.ofSeconds(10));
    }
}
