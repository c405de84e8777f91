package dev.smtpprobe.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real batch over loopback, as JSON Lines and as one document: each line and the document fit the schema. */
class JsonLinesTest {

    @Test
    void aBatchIsOneResultPerLineThenTheScopeSummary() {
        try (MockSmtpServer server = new MockSmtpServer().start(SmtpProbeModuleTest.submission())) {
            BatchResult batch = SmtpProbe.batch(SmtpProbeModuleTest.probe(server.port()).build(),
                    SmtpProbeModuleTest.probe(Ports.closed()).build()).run();

            String text = JsonLines.toString(batch);

            assertThat(text).endsWith("\n");
            List<String> lines = text.lines().toList();
            assertThat(lines).hasSize(3);
            JsonNode ok = Schemas.valid(lines.get(0));
            JsonNode refused = Schemas.valid(lines.get(1));
            JsonNode summary = Schemas.valid(lines.get(2));
            assertThat(ok.get("verdict").asText()).isEqualTo(batch.results().get(0).verdict().name());
            assertThat(refused.get("verdict").asText()).isEqualTo("CONNECTION_REFUSED");
            assertThat(summary.has("verdict")).isFalse();
            assertThat(summary.has("results")).isFalse();
            assertThat(summary.get("scope").get("scope").asText()).isEqualTo(batch.scope().scope().name());
            assertThat(summary.get("allOk").asBoolean()).isFalse();
            assertThat(summary.get("total").asInt()).isEqualTo(2);
            assertThat(summary.get("failed").asInt()).isEqualTo(batch.failures().size());
            assertThat(summary.get("elapsedMs").isNumber()).isTrue();
            assertThat(lines.get(0)).isEqualTo(JsonLines.line(batch.results().get(0)));

            JsonNode document = Schemas.valid(Schemas.write(batch));
            assertThat(document.get("results")).hasSize(2);
            assertThat(document.get("results").get(1).toString()).isEqualTo(lines.get(1));
            StringWriter out = new StringWriter();
            JsonLines.write(batch, out);
            assertThat(out.toString()).isEqualTo(text);
        }
    }

    @Test
    void nullArgumentsFailFastNamingTheArgument() {
        assertThatThrownBy(() -> JsonLines.write(null, new StringWriter()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
        assertThatThrownBy(() -> JsonLines.toString(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
        assertThatThrownBy(() -> JsonLines.line(null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("result");
    }
}
