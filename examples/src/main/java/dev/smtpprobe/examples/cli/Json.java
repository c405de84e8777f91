package dev.smtpprobe.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.jackson.JsonLines;
import dev.smtpprobe.jackson.SmtpProbeModule;
import java.io.UncheckedIOException;

/**
 * The machine form of a result: the JSON contract of {@code smtp-probe-jackson} ({@link SmtpProbeModule}, described
 * by its {@code result.schema.json}), the same shape a library user gets by registering the module. A batch is
 * JSON Lines ({@link JsonLines}).
 */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new SmtpProbeModule())
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /** The configured mapper (threadsafe once built). */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The value (a result, or the demo's outcomes) as indented JSON, without a trailing newline. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A batch as JSON Lines: one result per line, then the batch's scope summary; each line ends in a newline. */
    static String lines(BatchResult batch) {
        return JsonLines.toString(batch);
    }
}
