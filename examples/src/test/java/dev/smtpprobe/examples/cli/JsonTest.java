package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.jackson.SmtpProbeModule;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CLI's JSON is the contract of smtp-probe-jackson: constructed results, written by the CLI, read as trees,
 * and checked against the schema ({@link DemoJsonSchemaTest} does the same for real results).
 */
class JsonTest {

    @Test
    void timesAreIsoStringsDurationsMillisecondsAndAddressesAreAddressesNotRememberedNames() throws Exception {
        JsonNode tree = JsonSchemas.valid(Json.write(Results.okStartTls()));

        assertThat(tree.get("schemaVersion").asText()).isEqualTo(SmtpProbeModule.SCHEMA_VERSION);
        assertThat(tree.get("ok").asBoolean()).isTrue();
        assertThat(tree.get("verdict").asText()).isEqualTo("OK");
        assertThat(tree.get("layer").asText()).isEqualTo("NONE");
        assertThat(tree.get("startedAt").asText()).isEqualTo("2026-11-22T06:30:00.123Z");
        assertThat(tree.get("elapsedMs").isNumber()).isTrue();
        assertThat(tree.get("elapsedMs").asLong()).isEqualTo(42);
        JsonNode attempt = tree.get("attempts").get(0);
        assertThat(attempt.get("remote").asText()).isEqualTo("192.0.2.10:587");
        assertThat(attempt.get("local").asText()).isEqualTo("198.51.100.7:40112");
        assertThat(attempt.get("tls").get("peerCertificates").get(0).get("notAfter").asText()).isEqualTo("2027-01-31T00:00:00Z");
        assertThat(attempt.get("timingsMs").get("STARTTLS").asLong()).isEqualTo(25);
        assertThat(attempt.get("transcript").get(1).get("text").asText()).isEqualTo("220 mx.example.net ESMTP");
        assertThat(attempt.get("transcript").get(1).get("offsetMs").asLong()).isEqualTo(15);
    }

    @Test
    void rejectionCarriesItsPolicyReasonAndEnhancedStatus() throws Exception {
        JsonNode tree = JsonSchemas.valid(Json.write(Results.blocklisted()));
        assertThat(tree.get("policyReason").asText()).isEqualTo("BLOCKLIST");
        assertThat(tree.get("layer").asText()).isEqualTo("SMTP");
        assertThat(tree.get("attempts").get(0).get("greeting").get("enhancedStatus").get("subject").asInt()).isEqualTo(7);
    }

    @Test
    void aDnsVerdictHasNoAttemptAndNoDecidingIndex() throws Exception {
        JsonNode tree = JsonSchemas.valid(Json.write(Results.noSuchDomain()));
        assertThat(tree.get("layer").asText()).isEqualTo("DNS");
        assertThat(tree.get("decidingIndex").asInt()).isEqualTo(-1);
        assertThat(tree.get("attempts")).isEmpty();
    }

    @Test
    void aBatchIsJsonLinesOneResultPerLineThenTheScopeSummary() throws Exception {
        ScopeSummary scope = new ScopeSummary(ScopeSummary.Scope.RECIPIENT_SIDE, List.of("192.0.2.10: CONNECTION_REFUSED"),
                List.of("mx.example.net"), "Some fail while others work.");
        BatchResult batch = new BatchResult(List.of(Results.okStartTls(), Results.refused()), scope, Duration.ofMillis(50));

        List<String> lines = Json.lines(batch).lines().toList();

        assertThat(lines).hasSize(3);
        assertThat(JsonSchemas.valid(lines.get(0)).get("verdict").asText()).isEqualTo("OK");
        assertThat(JsonSchemas.valid(lines.get(1)).get("verdict").asText()).isEqualTo("CONNECTION_REFUSED");
        JsonNode summary = JsonSchemas.valid(lines.get(2));
        assertThat(summary.get("scope").get("scope").asText()).isEqualTo("RECIPIENT_SIDE");
        assertThat(summary.get("elapsedMs").asLong()).isEqualTo(50);
        assertThat(summary.get("failed").asInt()).isEqualTo(1);
        assertThat(Json.lines(batch)).endsWith("}\n").doesNotContain("\n\n");
    }
}
