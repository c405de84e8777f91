package dev.smtpprobe.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether the batch progress bar goes to stderr. It belongs wherever a person watches stderr, whatever stdout is:
 * {@code smtp-probe --batch domains.txt > results.txt} still shows it, {@code 2> log} does not.
 *
 * <p>Java tells only whether stdin and stdout are terminals ({@link System#console()}). On Linux the target of
 * {@code /proc/self/fd/2} says what stderr is: a terminal device ({@code /dev/pts/N}, {@code /dev/ttyN},
 * {@code /dev/console}), or a file, a pipe, a socket. Where that cannot be read (another OS), stderr is taken to be
 * a terminal when stdout is one.
 */
final class Terminals {

    /** What is known about a file descriptor. */
    enum Answer { TERMINAL, NOT_TERMINAL, UNKNOWN }

    static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

    private Terminals() {
    }

    /** Whether to draw the progress bar on stderr, for this process. */
    static boolean progressOnStderr() {
        return progressOnStderr(describe(PROC_SELF_FD, 2), Style.stdoutIsTerminal(), System.getenv());
    }

    /**
     * The decision: never on a {@code TERM=dumb} terminal (it cannot return the carriage); otherwise when stderr
     * is a terminal; when unknown, when stdout is one.
     */
    static boolean progressOnStderr(Answer stderr, boolean stdoutIsTerminal, Map<String, String> env) {
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        return switch (stderr) {
            case TERMINAL -> true;
            case NOT_TERMINAL -> false;
            case UNKNOWN -> stdoutIsTerminal;
        };
    }

    /** What descriptor {@code fd} is, from its link in {@code fdDirectory} (a {@code /proc/PID/fd}). */
    static Answer describe(Path fdDirectory, int fd) {
        Path target;
        try {
            target = Files.readSymbolicLink(fdDirectory.resolve(Integer.toString(fd)));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Answer.UNKNOWN;
        }
        String name = target.toString();
        boolean terminal = name.startsWith("/dev/pts/") || name.matches("/dev/tty[A-Za-z]*[0-9]*")
                || name.equals("/dev/console");
        return terminal ? Answer.TERMINAL : Answer.NOT_TERMINAL;
    }
}
