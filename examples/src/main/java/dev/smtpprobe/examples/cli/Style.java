package dev.smtpprobe.examples.cli;

import dev.smtpprobe.Verdict;
import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Whether and how output is coloured. Colour only when stdout is a terminal and {@code NO_COLOR} is unset
 * (see no-color.org), so piped output, logs and CI never contain escape sequences.
 */
final class Style {

    /** No escape sequences at all. */
    static final Style PLAIN = new Style(false);
    /** ANSI colours. */
    static final Style ANSI = new Style(true);

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "\u001b[1m";
    private static final String RED = "\u001b[31m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";

    private final boolean colour;

    private Style(boolean colour) {
        this.colour = colour;
    }

    /** Colour when stdout is a terminal and the environment has no {@code NO_COLOR} (whatever its value). */
    static Style detect(Map<String, String> env) {
        String noColor = env.get("NO_COLOR");
        if (noColor != null && !noColor.isEmpty()) {
            return PLAIN;
        }
        return stdoutIsTerminal() && !"dumb".equals(env.get("TERM")) ? ANSI : PLAIN;
    }

    /**
     * Whether stdout is an interactive terminal. On Java 17 to 21, {@link System#console()} is null unless both
     * stdin and stdout are terminals; from Java 22 it may exist while redirected, and {@code Console.isTerminal()}
     * (not in the Java 17 API, hence the reflective call) tells.
     */
    static boolean stdoutIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a non-null console is a terminal
        }
    }

    boolean colour() {
        return colour;
    }

    /** The verdict line: green for OK, yellow for a failure that may pass on retry, red otherwise; bold. */
    String verdict(Verdict verdict, String text) {
        if (!colour) {
            return text;
        }
        String hue = verdict.isOk() ? GREEN : verdict.isTransient() ? YELLOW : RED;
        return BOLD + hue + text + RESET;
    }

    /** Emphasis for the next action. */
    String strong(String text) {
        return colour ? BOLD + text + RESET : text;
    }
}
