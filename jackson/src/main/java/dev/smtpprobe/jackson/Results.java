package dev.smtpprobe.jackson;

import static dev.smtpprobe.jackson.Shape.array;
import static dev.smtpprobe.jackson.Shape.instant;
import static dev.smtpprobe.jackson.Shape.millis;
import static dev.smtpprobe.jackson.Shape.millisByKey;
import static dev.smtpprobe.jackson.Shape.name;
import static dev.smtpprobe.jackson.Shape.object;
import static dev.smtpprobe.jackson.Shape.socket;
import static dev.smtpprobe.jackson.Shape.string;
import static dev.smtpprobe.jackson.Shape.strings;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.smtpprobe.Attempt;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.Verdict;
import java.io.IOException;
import java.util.Map;

/**
 * The top-level documents of the contract: a probe result, an attempt, a batch and its scope summary. Fields are
 * written in the order of {@code result.schema.json}: the answer first (ok, verdict, layer, phase), then the
 * evidence, the transcript last.
 */
final class Results {

    private Results() {
    }

    static void probeResult(ProbeResult r, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("schemaVersion", SmtpProbeModule.SCHEMA_VERSION);
        gen.writeBooleanField("ok", r.isOk());
        name(gen, "verdict", r.verdict());
        name(gen, "layer", r.layer());
        name(gen, "phase", r.phase());
        string(gen, "target", r.target());
        gen.writeArrayFieldStart("ports");
        for (int port : r.ports()) {
            gen.writeNumber(port);
        }
        gen.writeEndArray();
        string(gen, "detail", r.detail());
        name(gen, "policyReason", r.policyReason());
        string(gen, "summary", r.summary());
        instant(gen, "startedAt", r.startedAt());
        millis(gen, "elapsedMs", r.elapsed());
        gen.writeNumberField("decidingIndex", r.decidingIndex());
        gen.writeObjectFieldStart("portVerdicts");
        for (Map.Entry<Integer, Verdict> e : r.portVerdicts().entrySet()) {
            gen.writeStringField(String.valueOf(e.getKey()), e.getValue().name());
        }
        gen.writeEndObject();
        array(gen, "configFindings", r.configFindings(), Parts::configFinding);
        array(gen, "hints", r.hints(), Parts::hint);
        object(gen, "resolution", r.resolution(), Parts::resolution);
        object(gen, "comparison", r.comparison(), Parts::comparison);
        array(gen, "attempts", r.attempts(), Results::attempt);
        gen.writeEndObject();
    }

    static void attempt(Attempt a, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "host", a.host());
        socket(gen, "remote", a.remote());
        socket(gen, "local", a.local());
        name(gen, "tlsMode", a.tlsMode());
        gen.writeBooleanField("ok", a.isOk());
        name(gen, "verdict", a.verdict());
        name(gen, "layer", a.verdict().layer());
        name(gen, "phase", a.phase());
        string(gen, "detail", a.detail());
        name(gen, "policyReason", a.policyReason());
        instant(gen, "startedAt", a.startedAt());
        millis(gen, "elapsedMs", a.elapsed());
        millisByKey(gen, "timingsMs", a.timings());
        object(gen, "greeting", a.greeting(), Parts::reply);
        object(gen, "ehlo", a.ehlo(), Parts::reply);
        string(gen, "ehloName", a.ehloName().orElse(null));
        object(gen, "capabilities", a.capabilities(), Parts::capabilities);
        object(gen, "tls", a.tls(), Parts::tls);
        object(gen, "auth", a.auth(), Parts::auth);
        array(gen, "recipients", a.recipients(), Parts::recipient);
        object(gen, "lastReply", a.lastReply(), Parts::reply);
        object(gen, "knownReply", a.knownReply().orElse(null), Parts::knownReply);
        object(gen, "failure", a.failure(), Parts::failure);
        array(gen, "transcript", a.transcript(), Parts::transcriptLine);
        gen.writeEndObject();
    }

    /** A whole batch as one document: the scope summary's fields, then every result. */
    static void batch(BatchResult b, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        batchFields(b, gen);
        array(gen, "results", b.results(), Results::probeResult);
        gen.writeEndObject();
    }

    /** The last line of a batch in JSON Lines: the batch without its results (each was a line of its own). */
    static void batchSummary(BatchResult b, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        batchFields(b, gen);
        gen.writeEndObject();
    }

    private static void batchFields(BatchResult b, JsonGenerator gen) throws IOException {
        gen.writeStringField("schemaVersion", SmtpProbeModule.SCHEMA_VERSION);
        gen.writeBooleanField("allOk", b.allOk());
        gen.writeNumberField("total", b.results().size());
        gen.writeNumberField("failed", b.failures().size());
        string(gen, "summary", b.summary());
        millis(gen, "elapsedMs", b.elapsed());
        object(gen, "scope", b.scope(), Results::scope);
    }

    static void scope(ScopeSummary s, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        name(gen, "scope", s.scope());
        strings(gen, "failing", s.failing());
        strings(gen, "working", s.working());
        string(gen, "message", s.message());
        gen.writeEndObject();
    }
}
