package dev.smtpprobe.examples.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The {@code smtp-probe(1)} man page in troff ({@code man -l}), generated from the picocli command definition, so
 * it lists exactly the options, arguments and exit codes {@code --help} shows. No date in it: the same build makes
 * the same page.
 */
final class ManPage {

    private ManPage() {
    }

    static String of(CommandSpec spec) {
        String name = spec.name();
        StringBuilder roff = new StringBuilder();
        roff.append(".TH ").append(quoted(name.toUpperCase(java.util.Locale.ROOT))).append(" 1 \"\" ")
                .append(quoted(VersionInfo.line())).append(" \"User Commands\"\n");
        roff.append(".SH NAME\n").append(escape(name)).append(" \\- ")
                .append(escape(String.join(" ", spec.usageMessage().header()))).append('\n');
        roff.append(".SH SYNOPSIS\n.B ").append(escape(name)).append('\n')
                .append(escape("[OPTIONS] [HOST | HOST:PORT]")).append('\n');
        roff.append(".SH DESCRIPTION\n");
        description(roff, spec.usageMessage().description());
        roff.append(".SH ARGUMENTS\n");
        for (PositionalParamSpec p : spec.positionalParameters()) {
            roff.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n')
                    .append(escape(String.join(" ", p.description()))).append('\n');
        }
        roff.append(".SH OPTIONS\n");
        for (OptionSpec option : spec.options()) {
            if (option.hidden()) {
                continue;
            }
            roff.append(".TP\n").append(optionLine(option)).append('\n')
                    .append(escape(String.join(" ", option.description()))).append('\n');
        }
        roff.append(".SH EXIT STATUS\n");
        for (Map.Entry<String, String> exit : spec.usageMessage().exitCodeList().entrySet()) {
            roff.append(".TP\n.B ").append(escape(exit.getKey().strip())).append('\n')
                    .append(escape(exit.getValue())).append('\n');
        }
        roff.append(".SH ENVIRONMENT\n");
        env(roff, SmtpProbeCli.PASSWORD_VARIABLE, "The password of --auth USER (else asked on the terminal).");
        env(roff, ProxyOption.PASSWORD_VARIABLE, "The password of the --proxy user (else asked on the terminal).");
        env(roff, "NO_COLOR", "When set and not empty, no colour in the output.");
        roff.append(".SH SEE ALSO\n.BR swaks (1),\n.BR openssl-s_client (1)\n");
        return roff.toString();
    }

    /** {@code \fB\-p\fR, \fB\-\-port\fR \fIPORT\fR}. */
    private static String optionLine(OptionSpec option) {
        String names = List.of(option.names()).stream().map(n -> "\\fB" + escape(n) + "\\fR")
                .collect(Collectors.joining(", "));
        boolean takesValue = !option.typeInfo().isBoolean();
        return takesValue ? names + " \\fI" + escape(option.paramLabel()) + "\\fR" : names;
    }

    /** Paragraphs; lines indented by two spaces (the examples) are kept as they are. */
    private static void description(StringBuilder roff, String[] lines) {
        boolean literal = false;
        for (String line : lines) {
            boolean indented = line.startsWith("  ");
            if (indented && !literal) {
                roff.append(".PP\n.nf\n");
                literal = true;
            } else if (!indented && literal) {
                roff.append(".fi\n");
                literal = false;
            }
            if (line.isBlank()) {
                roff.append(".PP\n");
            } else {
                roff.append(escape(indented ? line.strip() : line)).append('\n');
            }
        }
        if (literal) {
            roff.append(".fi\n");
        }
    }

    private static void env(StringBuilder roff, String name, String text) {
        roff.append(".TP\n.B ").append(escape(name)).append('\n').append(escape(text)).append('\n');
    }

    private static String quoted(String text) {
        return "\"" + escape(text).replace("\"", "\\(dq") + "\"";
    }

    /** Backslashes and dashes escaped; a line never starts with a control character ({@code .} or {@code '}). */
    static String escape(String text) {
        String escaped = text.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
