package dev.smtpprobe.jackson;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.smtpprobe.Attempt;
import dev.smtpprobe.AuthResult;
import dev.smtpprobe.BatchResult;
import dev.smtpprobe.Capabilities;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.DnsRecord;
import dev.smtpprobe.EnhancedStatus;
import dev.smtpprobe.FailureInfo;
import dev.smtpprobe.Hint;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TranscriptLine;
import java.io.IOException;
import java.io.InputStream;

/**
 * smtp-probe's JSON contract as a Jackson {@link com.fasterxml.jackson.databind.Module}: register it and a
 * {@link ProbeResult}, a {@link BatchResult} and each of their parts are written in the one documented shape, the
 * shape the CLI's {@code --json} prints.
 *
 * <pre>{@code
 * ObjectMapper mapper = JsonMapper.builder().addModule(new SmtpProbeModule()).build();
 * String json = mapper.writeValueAsString(SmtpProbe.to("smtp.example.net").port(587).run());
 * // {"schemaVersion":"1.0","ok":false,"verdict":"CONNECTION_TIMED_OUT","layer":"TCP","phase":"CONNECT",...}
 * }</pre>
 *
 * <p>The shape, described by the JSON Schema {@value #SCHEMA_RESOURCE} (draft 2020-12) shipped in this jar:
 * <ul>
 *   <li>every document starts with {@code schemaVersion} ({@value #SCHEMA_VERSION}); a result then says
 *       {@code ok}, {@code verdict}, {@code layer} and {@code phase} before the evidence;</li>
 *   <li>durations are numbers of milliseconds, to the microsecond, in fields ending in {@code Ms}
 *       ({@code elapsedMs}, {@code timingsMs.CONNECT}, {@code offsetMs}); instants are ISO-8601 strings in UTC;</li>
 *   <li>addresses are addresses ({@code "192.0.2.1:25"}, {@code "[2001:db8:0:0:0:0:0:1]:25"}), never a host name
 *       the JDK remembered; enums are their constant names;</li>
 *   <li>every field is always present; an absent value is {@code null}, an empty list {@code []};</li>
 *   <li>no secret appears: the transcript is redacted by the probe, configuration values are masked, and AUTH
 *       says only whether credentials were sent.</li>
 * </ul>
 *
 * <p>Compatibility: within a major version of {@code schemaVersion} changes are additive only (a new field, a new
 * enum constant); a consumer must ignore fields it does not know. Removing or renaming a field, or changing its
 * type or unit, takes a new major version.
 *
 * <p>The module writes only; it registers no deserializer. This class is threadsafe.
 */
public final class SmtpProbeModule extends SimpleModule {

    private static final long serialVersionUID = 1L;

    /**
     * The version of the JSON shape this module writes, {@code "major.minor"}: the minor grows with additive
     * changes, the major with any other.
     */
    public static final String SCHEMA_VERSION = "1.0";

    /** The class-path resource of the JSON Schema for the shape (a result, a batch, or a JSON Lines line). */
    public static final String SCHEMA_RESOURCE = "/dev/smtpprobe/jackson/result.schema.json";

    /**
     * The JSON Schema of the shape ({@value #SCHEMA_RESOURCE}), read from this module's jar; the caller closes the
     * stream. It works from a named module too, without this package being opened.
     *
     * @return a fresh stream of the schema, which the caller must close
     */
    public static InputStream schema() {
        InputStream in = SmtpProbeModule.class.getResourceAsStream(SCHEMA_RESOURCE);
        if (in == null) {
            throw new IllegalStateException(SCHEMA_RESOURCE + " is missing from the smtp-probe-jackson jar");
        }
        return in;
    }

    /** A module to register on an {@link com.fasterxml.jackson.databind.ObjectMapper}. */
    public SmtpProbeModule() {
        super("smtp-probe", Version.unknownVersion());
        add(ProbeResult.class, Results::probeResult);
        add(Attempt.class, Results::attempt);
        add(BatchResult.class, Results::batch);
        add(ScopeSummary.class, Results::scope);
        add(SmtpReply.class, Parts::reply);
        add(EnhancedStatus.class, Parts::enhancedStatus);
        add(Capabilities.class, Parts::capabilities);
        add(TlsInfo.class, Parts::tls);
        add(CertificateInfo.class, Parts::certificate);
        add(FailureInfo.class, Parts::failure);
        add(AuthResult.class, Parts::auth);
        add(RecipientResult.class, Parts::recipient);
        add(Hint.class, Parts::hint);
        add(ConfigFinding.class, Parts::configFinding);
        add(TranscriptLine.class, Parts::transcriptLine);
        add(Resolution.class, Parts::resolution);
        add(MailHost.class, Parts::mailHost);
        add(DnsLookup.class, Parts::lookup);
        add(DnsRecord.class, Parts::record);
        add(ResolverComparison.class, Parts::comparison);
        add(dev.smtpprobe.TlsPolicyReport.class, Parts::tlsPolicy);
    }

    private <T> void add(Class<T> type, Shape.Writer<T> writer) {
        addSerializer(type, new ShapeSerializer<>(type, writer));
    }

    /** One type of the contract, written by its {@link Shape.Writer}. */
    private static final class ShapeSerializer<T> extends StdSerializer<T> {
        private static final long serialVersionUID = 1L;
        private final transient Shape.Writer<T> writer;

        ShapeSerializer(Class<T> type, Shape.Writer<T> writer) {
            super(type);
            this.writer = writer;
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            writer.write(value, gen);
        }
    }
}
