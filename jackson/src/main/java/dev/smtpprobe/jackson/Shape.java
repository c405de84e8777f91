package dev.smtpprobe.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The primitives of the JSON contract: how a duration, an instant, an address, an enum or an absent value is
 * written. Every field of the contract is always present; an absent value is {@code null}.
 */
final class Shape {

    private Shape() {
    }

    /** Writes one value of a part of the result; {@code value} is never null. */
    @FunctionalInterface
    interface Writer<T> {
        void write(T value, JsonGenerator gen) throws IOException;
    }

    /**
     * A duration as a number of milliseconds, to the microsecond: {@code 42}, {@code 0.138}. A whole number of
     * milliseconds is written without a fraction.
     */
    static void millis(JsonGenerator gen, String field, Duration duration) throws IOException {
        gen.writeFieldName(field);
        millis(gen, duration);
    }

    static void millis(JsonGenerator gen, Duration duration) throws IOException {
        if (duration == null) {
            gen.writeNull();
            return;
        }
        long micros = Math.addExact(Math.multiplyExact(duration.getSeconds(), 1_000_000L), duration.getNano() / 1_000);
        if (micros % 1_000 == 0) {
            gen.writeNumber(micros / 1_000);
        } else {
            gen.writeNumber(micros / 1_000.0);
        }
    }

    /** Per-phase (or per-key) durations as an object of milliseconds, in the map's order. */
    static void millisByKey(JsonGenerator gen, String field, Map<? extends Enum<?>, Duration> durations)
            throws IOException {
        gen.writeObjectFieldStart(field);
        for (Map.Entry<? extends Enum<?>, Duration> e : durations.entrySet()) {
            millis(gen, e.getKey().name(), e.getValue());
        }
        gen.writeEndObject();
    }

    /** An instant as ISO-8601 in UTC: {@code 2026-11-22T06:30:00.123Z}. */
    static void instant(JsonGenerator gen, String field, Instant instant) throws IOException {
        string(gen, field, instant == null ? null : instant.toString());
    }

    /** An enum constant by name, or null. */
    static void name(JsonGenerator gen, String field, Enum<?> value) throws IOException {
        string(gen, field, value == null ? null : value.name());
    }

    static void string(JsonGenerator gen, String field, String value) throws IOException {
        if (value == null) {
            gen.writeNullField(field);
        } else {
            gen.writeStringField(field, value);
        }
    }

    static void strings(JsonGenerator gen, String field, List<String> values) throws IOException {
        gen.writeArrayFieldStart(field);
        for (String value : values) {
            gen.writeString(value);
        }
        gen.writeEndArray();
    }

    /** A part of the result, or null. */
    static <T> void object(JsonGenerator gen, String field, T value, Writer<? super T> writer) throws IOException {
        gen.writeFieldName(field);
        if (value == null) {
            gen.writeNull();
        } else {
            writer.write(value, gen);
        }
    }

    static <T> void array(JsonGenerator gen, String field, List<T> values, Writer<? super T> writer)
            throws IOException {
        gen.writeArrayFieldStart(field);
        for (T value : values) {
            writer.write(value, gen);
        }
        gen.writeEndArray();
    }

    /**
     * An address as the address itself ({@code 192.0.2.1}, {@code 2001:db8:0:0:0:0:0:1}), never a host name the
     * JDK remembers: the address is the evidence.
     */
    static String address(InetAddress address) {
        return address.getHostAddress();
    }

    /** {@code 192.0.2.1:25}, {@code [2001:db8:0:0:0:0:0:1]:25}, or the unresolved name and port. */
    static void socket(JsonGenerator gen, String field, InetSocketAddress socket) throws IOException {
        if (socket == null) {
            gen.writeNullField(field);
            return;
        }
        InetAddress address = socket.getAddress();
        String host = address == null ? socket.getHostString() : address(address);
        gen.writeStringField(field, (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + socket.getPort());
    }
}
