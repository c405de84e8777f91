package dev.smtpprobe.examples.cli;

import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Layer;
import dev.smtpprobe.Phase;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.Verdict;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options operators reach for from other SMTP tools (a picocli mixin of {@link SmtpProbeCli}): the address
 * family ({@code -4}/{@code -6}), where the dialogue stops ({@code --quit-after}), what a port sweep requires to
 * exit 0 ({@code --require}), and the shell completion script and man page generated from the command itself.
 */
final class OperatorOptions {

    /** {@code --quit-after}: the step after which the probe says QUIT. */
    enum QuitAfter {
        GREETING(Phase.GREETING), EHLO(Phase.EHLO), TLS(Phase.STARTTLS), AUTH(Phase.AUTH), RCPT(Phase.ENVELOPE);

        final Phase phase;

        QuitAfter(Phase phase) {
            this.phase = phase;
        }
    }

    /** {@code --require}: which ports of a sweep must work for exit 0. */
    enum Require {
        /** Every port of the sweep. */
        ALL,
        /** At least one port (the sweep's overall verdict; the default). */
        ANY
    }

    @Option(names = "-4", description = "Use IPv4 only: no AAAA query, IPv6 addresses are never tried.")
    boolean ipv4Only;

    @Option(names = "-6", description = "Use IPv6 only: no A query, IPv4 addresses are never tried.")
    boolean ipv6Only;

    @Option(names = "--quit-after", paramLabel = "STEP",
            description = "Say QUIT after this step instead of going on: greeting, ehlo, tls, auth or rcpt. The "
                    + "verdict is OK when every step up to there worked; later steps are not tried.")
    QuitAfter quitAfter;

    @Option(names = "--require", paramLabel = "all|any",
            description = "With --ports: exit 0 when any port works (any, the default: the sweep's verdict), or "
                    + "only when every port works (all: otherwise the exit code of the failing ports' layer, 8 when "
                    + "they fail in several layers).")
    Require require;

    @Option(names = "--completion", paramLabel = "SHELL",
            description = "Print the completion script for bash or zsh and exit (see the README to install it).")
    String completionShell;

    @Option(names = "--man-page", description = "Print the man page (troff, section 1) and exit.")
    boolean manPage;

    /**
     * Prints the completion script or the man page when asked: the exit status, or {@code null} to go on probing.
     *
     * @throws IllegalArgumentException naming {@code --completion} for a shell other than bash and zsh
     */
    Integer printGenerated(CommandLine command, PrintWriter out) {
        if (completionShell != null) {
            String shell = completionShell.strip().toLowerCase(java.util.Locale.ROOT);
            if (!shell.equals("bash") && !shell.equals("zsh")) {
                throw new IllegalArgumentException("--completion takes bash or zsh, not '" + completionShell + "'");
            }
            // One script serves both: under zsh it loads bashcompinit itself.
            out.print(AutoComplete.bash(command.getCommandName(), command));
        } else if (manPage) {
            out.print(ManPage.of(command.getCommandSpec()));
        } else {
            return null;
        }
        out.flush();
        return ExitCode.OK.code();
    }

    /**
     * Checks the combinations, given whether a port sweep and a batch were asked for.
     *
     * @throws IllegalArgumentException naming the options that do not go together
     */
    void check(boolean sweep, boolean batch) {
        if (ipv4Only && ipv6Only) {
            throw new IllegalArgumentException("give one of -4 and -6");
        }
        if (require != null && (batch || !sweep)) {
            throw new IllegalArgumentException("--require goes with --ports (a batch requires every target already)");
        }
    }

    /** Applies {@code -4}/{@code -6} and {@code --quit-after} to a probe. */
    SmtpProbe.Builder apply(SmtpProbe.Builder builder) {
        if (ipv4Only) {
            builder.ipVersion(IpVersion.V4_ONLY);
        } else if (ipv6Only) {
            builder.ipVersion(IpVersion.V6_ONLY);
        }
        if (quitAfter != null) {
            builder.quitAfter(quitAfter.phase);
        }
        return builder;
    }

    /** The exit code of one probe's result under {@code --require}. */
    ExitCode exitCode(ProbeResult result) {
        return exitCode(result, require == null ? Require.ANY : require);
    }

    /**
     * The rule of a sweep: with {@link Require#ANY} the code of the overall verdict (0 when a port works); with
     * {@link Require#ALL} a failure whenever a port failed: the code of the failing ports' layer, or
     * {@link ExitCode#MIXED} when they failed in several layers.
     */
    static ExitCode exitCode(ProbeResult result, Require require) {
        if (!result.isOk() || require == Require.ANY) {
            return ExitCode.of(result.verdict());
        }
        Set<Layer> failed = new LinkedHashSet<>();
        for (Map.Entry<Integer, Verdict> port : result.portVerdicts().entrySet()) {
            if (!port.getValue().isOk()) {
                failed.add(port.getValue().layer());
            }
        }
        if (failed.isEmpty()) {
            return ExitCode.OK;
        }
        return failed.size() == 1 ? ExitCode.of(failed.iterator().next()) : ExitCode.MIXED;
    }
}
