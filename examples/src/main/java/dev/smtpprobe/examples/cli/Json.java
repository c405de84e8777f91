package dev.smtpprobe.examples.cli;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.introspect.DefaultAccessorNamingStrategy;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.smtpprobe.Attempt;
import dev.smtpprobe.ProbeResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The machine form of a result. The small parts of a {@link ProbeResult} are records, which Jackson serialises as
 * they are; {@link ProbeResult} and {@link Attempt} are classes with builders, written as their fields (the same
 * names as their accessors, each once) and read back through {@link ProbeResult#builder()} and
 * {@link Attempt#builder()}.
 * Instants and durations are ISO-8601 strings ({@code "2026-11-22T06:30:00.123Z"}, {@code "PT0.012S"}).
 */
final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // Only the record components: derived is-getters (SmtpReply.isPositive(), ProbeResult.isOk()) would add
            // fields that repeat the data and could not be read back.
            .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .addModule(new JavaTimeModule())
            // The builders' setters are named like the values (verdict(...), not withVerdict(...)).
            .accessorNaming(new DefaultAccessorNamingStrategy.Provider().withBuilderPrefix(""))
            .addMixIn(ProbeResult.class, ProbeResultJson.class)
            .addMixIn(Attempt.class, AttemptJson.class)
            .addModule(new SimpleModule("smtp-probe-addresses")
                    .addSerializer(new SocketAddressSerializer())
                    .addSerializer(new AddressSerializer()))
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private Json() {
    }

    /** A value class written as its fields (named like its accessors), with no derived getter. */
    @JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY, getterVisibility = JsonAutoDetect.Visibility.NONE,
            isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    private abstract static class ValueJson {
    }

    /** The configuration findings first: a configuration mistake explains the rest. */
    @JsonPropertyOrder({"configFindings"})
    @JsonDeserialize(builder = ProbeResult.Builder.class)
    private abstract static class ProbeResultJson extends ValueJson {
    }

    @JsonDeserialize(builder = Attempt.Builder.class)
    private abstract static class AttemptJson extends ValueJson {
    }

    /** The configured mapper (threadsafe once built). */
    static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The result as indented JSON, without a trailing newline. */
    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes addresses as {@code "192.0.2.1"} / {@code "2001:db8::1"}: Jackson's own serialiser writes the host name
     * an address was resolved from, and the address is the evidence here.
     */
    private static final class AddressSerializer extends StdSerializer<InetAddress> {
        private static final long serialVersionUID = 1L;

        AddressSerializer() {
            super(InetAddress.class);
        }

        @Override
        public void serialize(InetAddress value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(value.getHostAddress());
        }
    }

    /**
     * Writes socket addresses as {@code "192.0.2.1:25"} / {@code "[2001:db8::1]:25"}. Jackson's own serialiser
     * prefers a host name the JDK remembered over the address, and the address is the evidence here.
     */
    private static final class SocketAddressSerializer extends StdSerializer<InetSocketAddress> {
        private static final long serialVersionUID = 1L;

        SocketAddressSerializer() {
            super(InetSocketAddress.class);
        }

        @Override
        public void serialize(InetSocketAddress value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(HumanFormat.address(value));
        }
    }
}
