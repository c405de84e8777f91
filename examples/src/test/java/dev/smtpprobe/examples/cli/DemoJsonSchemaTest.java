package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.testkit.TestCertificates;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The JSON of every demo case (real probes of scripted servers on loopback, real TLS, a test DNS server) fits
 * smtp-probe-jackson's result.schema.json: every verdict the demo reaches is a document the schema accepts.
 */
class DemoJsonSchemaTest {

    @Test
    void everyDemoCasesResultFitsTheSchema() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int status = new Demo(new PrintWriter(out), new PrintWriter(err), Style.PLAIN).run(Output.JSON);

        assertThat(status).as(err.toString()).isZero();
        JsonNode cases = Json.mapper().readTree(out.toString());
        List<Demo.Case> expected = Demo.cases(TestCertificates.shared());
        assertThat(cases).hasSize(expected.size());
        Set<Verdict> seen = EnumSet.noneOf(Verdict.class);
        List<String> layers = new ArrayList<>();
        for (int i = 0; i < expected.size(); i++) {
            JsonNode result = JsonSchemas.valid(cases.get(i).get("result"));
            Verdict verdict = Verdict.valueOf(result.get("verdict").asText());
            assertThat(verdict).as(expected.get(i).title()).isEqualTo(expected.get(i).expected());
            assertThat(result.get("layer").asText()).isEqualTo(verdict.layer().name());
            assertThat(result.get("ok").asBoolean()).isEqualTo(verdict.isOk());
            assertThat(result.get("elapsedMs").isNumber()).isTrue();
            seen.add(verdict);
            layers.add(result.get("layer").asText());
        }
        Set<Verdict> demoVerdicts = EnumSet.noneOf(Verdict.class);
        expected.forEach(c -> demoVerdicts.add(c.expected()));
        assertThat(seen).isEqualTo(demoVerdicts);
        assertThat(layers).contains("NONE", "DNS", "TCP", "TLS", "SMTP", "AUTH");
        // The demo's password went to a server in the AUTH cases: it is nowhere in the JSON.
        assertThat(dev.smtpprobe.testkit.SecretForms.reveals(out.toString(), Demo.DEMO_PASSWORD)).isFalse();
    }
}
