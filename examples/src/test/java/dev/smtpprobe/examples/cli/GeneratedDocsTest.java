package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The shell completion script and the man page are generated from the command definition: every option is in
 * both, the script completes in a real bash, and the page renders in groff without a warning.
 */
class GeneratedDocsTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private String generate(String... args) {
        int status = SmtpProbeCli.execute(args, new PrintWriter(out), new PrintWriter(err), Map.of(), Style.PLAIN);
        assertThat(status).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        return out.toString();
    }

    private static List<String> optionNames() {
        CommandLine cli = new CommandLine(new SmtpProbeCli(null, null, Map.of(), Style.PLAIN));
        return cli.getCommandSpec().options().stream().map(OptionSpec::longestName).toList();
    }

    @Test
    void theCompletionScriptListsEveryOptionAndCompletesInBash(@TempDir Path dir) throws Exception {
        String script = generate("--completion", "bash");
        assertThat(optionNames()).contains("--quit-after", "--require", "-4", "--man-page").allSatisfy(
                name -> assertThat(script).contains(name));
        assertThat(generate("--completion", "zsh")).isEqualTo(script + script); // the same script for both shells

        Path bash = Path.of("/usr/bin/bash");
        assumeTrue(Files.isExecutable(bash), "needs bash");
        Path file = Files.writeString(dir.resolve("smtp-probe-completion"), script);
        // The completion function as bash calls it on TAB; compopt works only inside a real completion, so a
        // no-op stands in for it.
        String completions = exec(dir, bash.toString(), "-c", "source " + file + " && compopt() { :; } && COMP_WORDS=(smtp-probe --quit)"
                + " && COMP_CWORD=1 && COMP_LINE='smtp-probe --quit' && COMP_POINT=17 && _picocli_smtp-probe"
                + " && printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(completions.lines()).containsExactly("--quit-after");
        String values = exec(dir, bash.toString(), "-c", "source " + file + " && compopt() { :; } && COMP_WORDS=(smtp-probe --quit-after '')"
                + " && COMP_CWORD=2 && COMP_LINE='smtp-probe --quit-after ' && COMP_POINT=24 && _picocli_smtp-probe"
                + " && printf '%s\\n' \"${COMPREPLY[@]}\"");
        assertThat(values.lines()).containsExactlyInAnyOrder("GREETING", "EHLO", "TLS", "AUTH", "RCPT");
    }

    @Test
    void theManPageDocumentsEveryOptionAndTheExitCodesAndRendersCleanly(@TempDir Path dir) throws Exception {
        String page = generate("--man-page");
        assertThat(page).startsWith(".TH \"SMTP\\-PROBE\" 1 ").contains(".SH NAME\n", ".SH SYNOPSIS\n", ".SH OPTIONS\n",
                ".SH EXIT STATUS\n", ".SH ENVIRONMENT\n", SmtpProbeCli.PASSWORD_VARIABLE);
        assertThat(optionNames()).allSatisfy(name -> assertThat(page).contains("\\fB" + ManPage.escape(name) + "\\fR"));
        for (ExitCode code : ExitCode.values()) {
            assertThat(page).contains(".B " + code.code() + "\n");
        }
        assertThat(page.lines()).noneMatch(line -> line.startsWith("'"));

        Path groff = Path.of("/usr/bin/groff");
        assumeTrue(Files.isExecutable(groff), "needs groff");
        Path file = Files.writeString(dir.resolve("smtp-probe.1"), page);
        String rendered = exec(dir, groff.toString(), "-man", "-Tutf8", "-ww", "-z", file.toString());
        assertThat(rendered).as("groff warnings").isEmpty();
        String text = exec(dir, groff.toString(), "-man", "-Tascii", "-P", "-cbou", file.toString());
        assertThat(text).contains("--quit-after STEP", "--require all|any", "smtp-probe --demo", "EXIT STATUS");
    }

    @Test
    void manPageEscapingNeverStartsALineWithAControlCharacter() {
        assertThat(ManPage.escape(".hidden")).isEqualTo("\\&.hidden");
        assertThat(ManPage.escape("'quoted")).isEqualTo("\\&'quoted");
        assertThat(ManPage.escape("a\\b-c")).isEqualTo("a\\eb\\-c");
    }

    /** Runs a command; its stdout and stderr together, after it ended within 20 s. */
    private static String exec(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readNBytes(1 << 20);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("ended").isTrue();
        return new String(output, StandardCharsets.UTF_8);
    }
}
