package dev.smtpprobe.examples.cli;

import dev.smtpprobe.TlsMode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Turns option values into typed values; a bad value becomes a one-line usage error (exit 64). */
final class Converters {

    private Converters() {
    }

    /** A TCP port, 1 to 65535. */
    static final class Port implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return parsePort(value);
        }
    }

    static int parsePort(String value) {
        String text = value.strip();
        if (!text.matches("[0-9]{1,5}")) {
            throw new TypeConversionException("a port is a number from 1 to 65535, not '" + value + "'");
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > 65535) {
            throw new TypeConversionException("a port is a number from 1 to 65535, not " + port);
        }
        return port;
    }

    /** {@code none}, {@code starttls}, {@code require-starttls} or {@code implicit}. */
    static final class Tls implements ITypeConverter<TlsMode> {
        @Override
        public TlsMode convert(String value) {
            return switch (value.strip().toLowerCase(Locale.ROOT)) {
                case "none", "plain" -> TlsMode.NONE;
                case "starttls" -> TlsMode.STARTTLS;
                case "require-starttls" -> TlsMode.STARTTLS_REQUIRED;
                case "implicit", "tls", "smtps" -> TlsMode.IMPLICIT;
                default -> throw new TypeConversionException(
                        "TLS mode is one of none, starttls, require-starttls, implicit; not '" + value + "'");
            };
        }
    }

    /** {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or a bare number of seconds; at most one hour. */
    static final class Timeout implements ITypeConverter<Duration> {
        private static final Pattern FORMAT = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m)?");

        @Override
        public Duration convert(String value) {
            Matcher m = FORMAT.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new TypeConversionException("a timeout looks like 500ms, 5s or 1m, not '" + value + "'");
            }
            BigDecimal amount = new BigDecimal(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            BigDecimal millis = switch (unit) {
                case "ms" -> amount;
                case "m" -> amount.multiply(BigDecimal.valueOf(60_000));
                default -> amount.multiply(BigDecimal.valueOf(1_000));
            };
            if (millis.compareTo(BigDecimal.ONE) < 0 || millis.compareTo(BigDecimal.valueOf(3_600_000)) > 0) {
                throw new TypeConversionException("a timeout is between 1ms and 1 hour, not '" + value + "'");
            }
            return Duration.ofMillis(millis.longValue());
        }
    }
}
