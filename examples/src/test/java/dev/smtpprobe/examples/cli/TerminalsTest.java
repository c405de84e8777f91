package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.examples.cli.Terminals.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where the batch progress goes: the decision, and what a descriptor is from its {@code /proc} link. */
class TerminalsTest {

    @ParameterizedTest(name = "stderr {0}, stdout terminal {1}, TERM {2} -> {3}")
    @CsvSource({
        // stdout redirected to a file, stderr on the terminal: the case that lost its progress before
        "TERMINAL,     false, xterm, true",
        "TERMINAL,     true,  xterm, true",
        // stderr redirected (2> log): never, even with stdout on the terminal
        "NOT_TERMINAL, true,  xterm, false",
        "NOT_TERMINAL, false, xterm, false",
        // no /proc: follow stdout
        "UNKNOWN,      true,  xterm, true",
        "UNKNOWN,      false, xterm, false",
        // a dumb terminal cannot return the carriage
        "TERMINAL,     true,  dumb,  false",
    })
    void progressFollowsStderr(Answer stderr, boolean stdoutIsTerminal, String term, boolean expected) {
        assertThat(Terminals.progressOnStderr(stderr, stdoutIsTerminal, Map.of("TERM", term))).isEqualTo(expected);
    }

    @Test
    void aDescriptorIsATerminalWhenItsLinkIsATerminalDevice(@TempDir Path fds) throws Exception {
        link(fds, 2, "/dev/pts/7");
        link(fds, 3, "/dev/tty1");
        link(fds, 4, "/dev/console");
        link(fds, 5, "/home/ops/results.txt");
        link(fds, 6, "pipe:[123456]");
        link(fds, 7, "socket:[98765]");
        link(fds, 8, "/dev/null");

        assertThat(Terminals.describe(fds, 2)).isEqualTo(Answer.TERMINAL);
        assertThat(Terminals.describe(fds, 3)).isEqualTo(Answer.TERMINAL);
        assertThat(Terminals.describe(fds, 4)).isEqualTo(Answer.TERMINAL);
        for (int fd = 5; fd <= 8; fd++) {
            assertThat(Terminals.describe(fds, fd)).as("fd " + fd).isEqualTo(Answer.NOT_TERMINAL);
        }
        assertThat(Terminals.describe(fds, 9)).as("no link").isEqualTo(Answer.UNKNOWN);
        assertThat(Terminals.describe(fds.resolve("absent"), 2)).isEqualTo(Answer.UNKNOWN);
    }

    @Test
    void thisTestsStderrIsAPipeNotATerminal() {
        // Surefire's forked JVM writes stderr into a pipe to the build.
        assumeTrue(Files.isDirectory(Terminals.PROC_SELF_FD), "needs /proc");
        assertThat(Terminals.describe(Terminals.PROC_SELF_FD, 2)).isEqualTo(Answer.NOT_TERMINAL);
        assertThat(Terminals.describe(Terminals.PROC_SELF_FD, 0)).isNotEqualTo(Answer.UNKNOWN);
    }

    private static void link(Path dir, int fd, String target) throws Exception {
        Files.createSymbolicLink(dir.resolve(Integer.toString(fd)), Path.of(target));
    }
}
