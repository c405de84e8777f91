package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.smtpprobe.jackson.SmtpProbeModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** smtp-probe-jackson's result.schema.json, read from its jar, and a check that a document fits it. */
final class JsonSchemas {

    static final Schema SCHEMA = load();

    private JsonSchemas() {
    }

    private static Schema load() {
        try (InputStream in = SmtpProbeModule.schema()) {
            assertThat(in).as(SmtpProbeModule.SCHEMA_RESOURCE).isNotNull();
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(Json.mapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the text, asserts the schema accepts it, and returns the tree. */
    static JsonNode valid(String json) {
        try {
            return valid(Json.mapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode valid(JsonNode tree) {
        assertThat(SCHEMA.validate(tree)).as("schema errors for %s", tree).isEmpty();
        return tree;
    }
}
