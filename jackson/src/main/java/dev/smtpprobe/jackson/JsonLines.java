package dev.smtpprobe.jackson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.ProbeResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * A batch as JSON Lines: one {@link ProbeResult} per line, in the batch's order, then one line with the batch's
 * summary (its {@code scope}, {@code allOk}, counts and {@code elapsedMs}, without the results). Each line is a
 * document of {@value SmtpProbeModule#SCHEMA_RESOURCE}; a result line has a {@code verdict}, the summary line has
 * {@code scope} instead.
 *
 * <pre>{@code
 * BatchResult batch = SmtpProbe.batch(probes).run();
 * JsonLines.write(batch, writer);
 * // shell: smtp-probe --batch domains.txt --json | jq -s 'last.scope.scope'
 * }</pre>
 *
 * <p>This class is threadsafe.
 */
public final class JsonLines {

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLines() {
    }

    /**
     * Writes the batch's lines, each ended by {@code '\n'}; does not close or flush {@code out}.
     *
     * @param batch the batch whose results, then summary, are written one JSON object per line
     * @param out where the lines go; left open and unflushed
     * @throws IllegalArgumentException naming the argument when one is null
     * @throws UncheckedIOException when {@code out} fails
     */
    public static void write(BatchResult batch, Writer out) {
        if (batch == null) {
            throw new IllegalArgumentException("batch must not be null");
        }
        if (out == null) {
            throw new IllegalArgumentException("out must not be null");
        }
        try {
            for (ProbeResult result : batch.results()) {
                line(out, gen -> Results.probeResult(result, gen));
            }
            line(out, gen -> Results.batchSummary(batch, gen));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The batch's lines as one string, each line ended by {@code '\n'}.
     *
     * @param batch the batch whose results, then summary, are rendered
     * @return one JSON line per result followed by the summary line, each ended by {@code '\n'}
     * @throws IllegalArgumentException when {@code batch} is null
     */
    public static String toString(BatchResult batch) {
        StringWriter out = new StringWriter();
        write(batch, out);
        return out.toString();
    }

    /**
     * One result on one line, without a line end.
     *
     * @param result the result to render
     * @return the result as one JSON object on one line, without a line end
     */
    public static String line(ProbeResult result) {
        if (result == null) {
            throw new IllegalArgumentException("result must not be null");
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(out)) {
            Results.probeResult(result, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private interface Body {
        void write(JsonGenerator gen) throws IOException;
    }

    private static void line(Writer out, Body body) throws IOException {
        StringWriter line = new StringWriter();
        try (JsonGenerator gen = FACTORY.createGenerator(line)) {
            body.write(gen);
        }
        out.write(line.toString());
        out.write('\n');
    }
}
