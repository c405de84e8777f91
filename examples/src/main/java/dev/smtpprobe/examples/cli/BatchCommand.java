package dev.smtpprobe.examples.cli;

import dev.smtpprobe.BatchResult;
import dev.smtpprobe.Layer;
import dev.smtpprobe.ProbeListener;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ProbeRun;
import dev.smtpprobe.SmtpProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine.ParameterException;

/**
 * {@code smtp-probe --batch FILE}: the field guide's "compare scope" step. Probes every mail domain of the file
 * through its MX, a few at a time, then says whether the failures point at this side (everything fails) or at some
 * recipients' gateways (only some fail).
 *
 * <p>The whole file is read and every line checked before the first probe starts: a bad line is a usage error
 * naming its number, and nothing is half-printed.
 */
final class BatchCommand {

    /** The largest file read: a batch is a list of domains, not a data set. */
    static final int MAX_FILE_BYTES = 1 << 20;

    private final SmtpProbeCli cli;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Style style;

    BatchCommand(SmtpProbeCli cli, PrintWriter out, PrintWriter err, Style style) {
        this.cli = cli;
        this.out = out;
        this.err = err;
        this.style = style;
    }

    int run(Path file, Integer concurrency, Output output) {
        List<Target> targets = targets(file);
        Progress progress = new Progress(targets.size(), Style.stdoutIsTerminal() ? err : null);
        List<SmtpProbe> probes = new ArrayList<>();
        for (Target target : targets) {
            probes.add(probe(file, target, progress));
        }
        var batch = SmtpProbe.batch(probes);
        if (concurrency != null) {
            try {
                batch.concurrency(concurrency);
            } catch (IllegalArgumentException e) {
                throw cli.usage("--concurrency: " + e.getMessage());
            }
        }
        BatchResult result = batch.run();
        progress.clear();
        print(file, result, output);
        return exitCode(result).code();
    }

    /**
     * All failures in one layer exit with that layer's code, so a script can still tell "DNS everywhere" from
     * "port 25 blocked everywhere"; failures in several layers exit with {@link ExitCode#MIXED}.
     */
    static ExitCode exitCode(BatchResult result) {
        Set<Layer> layers = result.failures().stream().map(ProbeResult::layer).collect(Collectors.toSet());
        if (layers.isEmpty()) {
            return ExitCode.OK;
        }
        return layers.size() == 1 ? ExitCode.of(layers.iterator().next()) : ExitCode.MIXED;
    }

    private SmtpProbe probe(Path file, Target target, Progress progress) {
        try {
            return cli.configureMx(target.text(), progress);
        } catch (ParameterException e) {
            throw cli.usage(file + " line " + target.line() + ": " + e.getMessage());
        }
    }

    /**
     * The non-blank, non-comment lines, each checked; a usage error when the file cannot be read, is not UTF-8, is
     * larger than {@link #MAX_FILE_BYTES} or has none. The cap counts the bytes read, not the size the file system
     * reports: a device such as {@code /dev/zero} or a pipe reports 0 and never ends.
     */
    private List<Target> targets(Path file) {
        byte[] content;
        try (InputStream in = Files.newInputStream(file)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (IOException | SecurityException e) {
            throw cli.usage("--batch: cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
        }
        if (content.length > MAX_FILE_BYTES) {
            throw cli.usage("--batch: " + file + " is larger than 1 MiB (an endless device or an oversized file)");
        }
        List<String> lines;
        try {
            lines = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString()
                    .lines().toList();
        } catch (CharacterCodingException e) {
            throw cli.usage("--batch: " + file + " is not UTF-8 text");
        }
        List<Target> targets = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty() && !text.startsWith("#")) {
                targets.add(new Target(i + 1, text));
            }
        }
        if (targets.isEmpty()) {
            throw cli.usage("--batch: " + file + " lists no domain");
        }
        return targets;
    }

    private void print(Path file, BatchResult batch, Output output) {
        StringBuilder text = new StringBuilder();
        switch (output) {
            case JSON -> text.append(Json.lines(batch));
            case REPORT -> batch.results().forEach(r -> text.append(r.report()).append('\n'));
            case HUMAN, HUMAN_WITH_TRANSCRIPT -> {
                HumanFormat format = new HumanFormat(style);
                text.append("smtp-probe batch: ").append(batch.results().size()).append(" targets from ").append(file)
                        .append(", ").append(batch.results().size() - batch.failures().size()).append(" OK, in ")
                        .append(batch.elapsed().toMillis()).append(" ms\n");
                for (ProbeResult result : batch.results()) {
                    if (output == Output.HUMAN) {
                        text.append("  ").append(style.verdict(result.verdict(), result.summary())).append('\n');
                    } else {
                        text.append('\n').append(format.render(result, true));
                    }
                }
                text.append("scope: ").append(style.strong(batch.scope().scope() + ": " + batch.scope().message())).append('\n');
            }
        }
        out.print(text);
        out.flush();
    }

    /** One line of the batch file. */
    record Target(int line, String text) {
    }

    /**
     * A progress bar on stderr while the batch runs, on a terminal only ({@code null} writer: none): it counts
     * the probes that ended, as the library's listener reports them.
     */
    static final class Progress implements ProbeListener {
        private static final int WIDTH = 30;
        private final int total;
        private final PrintWriter terminal;
        private final AtomicInteger done = new AtomicInteger();

        Progress(int total, PrintWriter terminal) {
            this.total = total;
            this.terminal = terminal;
        }

        @Override
        public void probeEnd(ProbeRun probe, ProbeResult result) {
            int n = done.incrementAndGet();
            if (terminal != null) {
                synchronized (this) {
                    int filled = WIDTH * n / total;
                    terminal.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + n + "/" + total);
                    terminal.flush();
                }
            }
        }

        /** How many probes ended. */
        int done() {
            return done.get();
        }

        void clear() {
            if (terminal != null) {
                synchronized (this) {
                    terminal.print("\r" + " ".repeat(WIDTH + 24) + "\r");
                    terminal.flush();
                }
            }
        }
    }
}
