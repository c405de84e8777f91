package dev.smtpprobe.jackson;

import static dev.smtpprobe.jackson.Shape.array;
import static dev.smtpprobe.jackson.Shape.instant;
import static dev.smtpprobe.jackson.Shape.millis;
import static dev.smtpprobe.jackson.Shape.name;
import static dev.smtpprobe.jackson.Shape.object;
import static dev.smtpprobe.jackson.Shape.string;
import static dev.smtpprobe.jackson.Shape.strings;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.DnsRecord;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.Hint;
import dev.smtpprobe.KnownReply;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TranscriptLine;
import java.io.IOException;
import java.net.InetAddress;

/**
 * The parts of a result as the contract writes them, one method per type, fields in the order of
 * {@code result.schema.json}. Every field is written, absent values as {@code null}.
 */
final class Parts {

    private Parts() {
    }

    static void reply(SmtpReply r, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeNumberField("code", r.code());
        object(gen, "enhancedStatus", r.enhancedStatus(), Parts::enhancedStatus);
        strings(gen, "lines", r.lines());
        gen.writeEndObject();
    }

    static void enhancedStatus(EnhancedStatus s, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        gen.writeNumberField("statusClass", s.statusClass());
        gen.writeNumberField("subject", s.subject());
        gen.writeNumberField("detail", s.detail());
        gen.writeEndObject();
    }

    static void capabilities(Capabilities c, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "serverName", c.serverName());
        strings(gen, "extensions", c.extensions());
        gen.writeEndObject();
    }

    static void tls(TlsInfo t, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "protocol", t.protocol());
        string(gen, "cipherSuite", t.cipherSuite());
        array(gen, "peerCertificates", t.peerCertificates(), Parts::certificate);
        gen.writeEndObject();
    }

    static void certificate(CertificateInfo c, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "subject", c.subject());
        string(gen, "issuer", c.issuer());
        strings(gen, "subjectAlternativeNames", c.subjectAlternativeNames());
        instant(gen, "notBefore", c.notBefore());
        instant(gen, "notAfter", c.notAfter());
        gen.writeNumberField("daysToExpiry", c.daysToExpiry());
        string(gen, "serialNumber", c.serialNumber());
        string(gen, "sha256Fingerprint", c.sha256Fingerprint());
        string(gen, "pem", c.pem());
        gen.writeEndObject();
    }

    static void failure(FailureInfo f, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "type", f.type());
        string(gen, "message", f.message());
        gen.writeEndObject();
    }

    /** What happened at AUTH: never a credential, only whether one was sent. */
    static void auth(AuthResult a, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        name(gen, "status", a.status());
        name(gen, "mechanism", a.mechanism());
        gen.writeBooleanField("credentialsSent", a.credentialsSent());
        object(gen, "reply", a.reply(), Parts::reply);
        strings(gen, "offered", a.offered());
        strings(gen, "offeredBeforeStartTls", a.offeredBeforeStartTls());
        gen.writeBooleanField("offeredOnlyAfterStartTls", a.offeredOnlyAfterStartTls());
        gen.writeEndObject();
    }

    static void recipient(RecipientResult r, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "address", r.address());
        name(gen, "status", r.status());
        object(gen, "reply", r.reply(), Parts::reply);
        name(gen, "reason", r.reason());
        string(gen, "detail", r.detail());
        gen.writeEndObject();
    }

    static void hint(Hint h, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        name(gen, "code", h.code());
        string(gen, "message", h.message());
        strings(gen, "evidence", h.evidence());
        gen.writeEndObject();
    }

    /** A known provider rejection, as the table of known replies has it. */
    static void knownReply(KnownReply k, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "provider", k.provider());
        string(gen, "rule", k.rule());
        string(gen, "cause", k.cause());
        name(gen, "owner", k.owner());
        string(gen, "fix", k.fix());
        string(gen, "source", k.source());
        string(gen, "checked", k.checked());
        gen.writeEndObject();
    }

    /** A configuration finding; its value comes from core with secrets already masked. */
    static void configFinding(ConfigFinding f, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        name(gen, "code", f.code());
        string(gen, "key", f.key());
        string(gen, "value", f.value());
        string(gen, "why", f.why());
        string(gen, "fix", f.fix());
        gen.writeEndObject();
    }

    /** A transcript line; core redacts AUTH payloads before a line is recorded. */
    static void transcriptLine(TranscriptLine l, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        millis(gen, "offsetMs", l.offset());
        name(gen, "direction", l.direction());
        string(gen, "text", l.text());
        gen.writeEndObject();
    }

    static void resolution(Resolution r, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "query", r.query());
        string(gen, "name", r.name());
        name(gen, "kind", r.kind());
        gen.writeBooleanField("ok", r.isOk());
        name(gen, "verdict", r.verdict());
        string(gen, "detail", r.detail());
        millis(gen, "elapsedMs", r.elapsed());
        array(gen, "hosts", r.hosts(), Parts::mailHost);
        array(gen, "lookups", r.lookups(), Parts::lookup);
        gen.writeEndObject();
    }

    static void mailHost(MailHost h, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "name", h.name());
        gen.writeNumberField("preference", h.preference());
        gen.writeBooleanField("implicit", h.implicit());
        gen.writeArrayFieldStart("addresses");
        for (InetAddress address : h.addresses()) {
            gen.writeString(Shape.address(address));
        }
        gen.writeEndArray();
        strings(gen, "problems", h.problems());
        gen.writeEndObject();
    }

    static void lookup(DnsLookup l, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "name", l.name());
        string(gen, "type", l.type());
        string(gen, "resolver", l.resolver());
        name(gen, "outcome", l.outcome());
        string(gen, "detail", l.detail());
        millis(gen, "sentMs", l.sent());
        millis(gen, "elapsedMs", l.elapsed());
        array(gen, "answers", l.answers(), Parts::record);
        gen.writeEndObject();
    }

    static void record(DnsRecord r, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "name", r.name());
        string(gen, "type", r.type());
        gen.writeNumberField("ttl", r.ttl());
        string(gen, "value", r.value());
        string(gen, "resolver", r.resolver());
        gen.writeEndObject();
    }

    static void comparison(ResolverComparison c, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        string(gen, "name", c.name());
        gen.writeBooleanField("agree", c.agree());
        strings(gen, "resolvers", c.resolvers());
        strings(gen, "differences", c.differences());
        array(gen, "resolutions", c.resolutions(), Parts::resolution);
        gen.writeEndObject();
    }
}
