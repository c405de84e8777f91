package dev.smtpprobe.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The one place arguments of the public API are checked: every failure is an {@link IllegalArgumentException}
 * whose message starts with the argument's name. Bad input is rejected, never repaired: a value with a line break
 * or surrounding whitespace is an error, not something to strip.
 *
 * <p>Messages never quote a rejected value that holds control characters (they could inject a line into a log
 * or a terminal); they name the argument and what is wrong.
 */
public final class Arguments {

    /** The shortest timeout a setter accepts. */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    private Arguments() {
    }

    /**
     * Throws {@link IllegalArgumentException} with the message {@code String.format(template, args)} (root locale,
     * so numbers read the same everywhere) when {@code expression} is false.
     */
    public static void requireArgument(boolean expression, String template, Object... args) {
        if (!expression) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, template, args));
        }
    }

    /**
     * {@code value}, or an {@link IllegalArgumentException} "{@code name} must not be null".
     */
    public static <T> T requireNonNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * {@code value} unchanged when it is a single token of text: not null, not blank, no control character (CR,
     * LF, TAB, NUL...) and no leading or trailing whitespace.
     *
     * @throws IllegalArgumentException naming {@code name} otherwise
     */
    public static String requireToken(String value, String name) {
        requireNonNull(value, name);
        requireArgument(!value.isBlank(), "%s must not be blank", name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            requireArgument(!Character.isISOControl(c) && c != '\u2028' && c != '\u2029',
                    "%s must not contain line breaks or control characters (U+%04X at index %d)", name, (int) c, i);
        }
        requireArgument(value.strip().length() == value.length(),
                "%s must not start or end with whitespace: '%s'", name, value);
        return value;
    }

    /**
     * {@code value} when it lies between {@link #MIN_TIMEOUT} and {@code max}.
     *
     * @throws IllegalArgumentException naming {@code name} when it is null, shorter than 1 ms or longer than
     *                                  {@code max}
     */
    public static Duration requireTimeout(Duration value, Duration max, String name) {
        requireNonNull(value, name);
        requireArgument(value.compareTo(MIN_TIMEOUT) >= 0, "%s must be at least 1 ms: %s", name, value);
        requireArgument(value.compareTo(max) <= 0, "%s must be at most %s: %s", name, describe(max), value);
        return value;
    }

    /**
     * {@code amount unit} as a {@link Duration} between {@link #MIN_TIMEOUT} and {@code max}; an amount whose
     * conversion would overflow is rejected like any other too long value.
     *
     * @throws IllegalArgumentException naming {@code name} when the unit is null or the value out of range
     */
    public static Duration requireTimeout(long amount, TimeUnit unit, Duration max, String name) {
        requireNonNull(unit, name + " unit");
        // TimeUnit conversions saturate at Long.MIN_VALUE/MAX_VALUE instead of overflowing.
        requireArgument(unit.toNanos(amount) >= MIN_TIMEOUT.toNanos(), "%s must be at least 1 ms: %d %s",
                name, amount, unit);
        requireArgument(unit.toNanos(amount) <= max.toNanos(), "%s must be at most %s: %d %s",
                name, describe(max), amount, unit);
        return Duration.ofNanos(unit.toNanos(amount));
    }

    private static String describe(Duration d) {
        if (d.toHours() > 0 && d.equals(Duration.ofHours(d.toHours()))) {
            return d.toHours() == 1 ? "1 hour" : d.toHours() + " hours";
        }
        if (d.toMinutes() > 0 && d.equals(Duration.ofMinutes(d.toMinutes()))) {
            return d.toMinutes() == 1 ? "1 minute" : d.toMinutes() + " minutes";
        }
        return d.toString();
    }
}
