package dev.smtpprobe.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The repository's schema, loaded once, and the mapper the tests write with (the module registered). */
final class Schemas {

    static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new SmtpProbeModule()).build();
    static final JsonNode SCHEMA_TREE = read();
    static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SCHEMA_TREE);

    private Schemas() {
    }

    private static JsonNode read() {
        try (InputStream in = SmtpProbeModule.schema()) {
            assertThat(in).as(SmtpProbeModule.SCHEMA_RESOURCE).isNotNull();
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses the text and asserts the schema accepts it; returns the tree. */
    static JsonNode valid(String json) {
        try {
            JsonNode tree = MAPPER.readTree(json);
            List<Error> errors = SCHEMA.validate(tree);
            assertThat(errors).as("schema errors for %s", json).isEmpty();
            return tree;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
