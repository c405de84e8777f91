package dev.smtpprobe.jackson;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.smtpprobe.KnownReply;
import dev.smtpprobe.MailHost;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.RecipientResult;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.ResolverComparison;
import dev.smtpprobe.ScopeSummary;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsInfo;
import dev.smtpprobe.TranscriptLine;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every public accessor of the result types is a field of the schema (a {@link Duration}, or a map of them, as
 * the accessor's name plus {@code Ms}; {@code isOk()} as {@code ok}), unless it is on the list below with the
 * reason it is left out. A new accessor on a result type fails this test until the contract says what to do with
 * it.
 */
class SchemaCoverageTest {

    /** Each result type and the name of its definition in the schema. */
    private static final List<Class<?>> TYPES = List.of(ProbeResult.class, Attempt.class, BatchResult.class,
            ScopeSummary.class, SmtpReply.class, EnhancedStatus.class, Capabilities.class, TlsInfo.class,
            CertificateInfo.class, FailureInfo.class, AuthResult.class, RecipientResult.class, Hint.class,
            ConfigFinding.class, TranscriptLine.class, Resolution.class, MailHost.class, DnsLookup.class,
            DnsRecord.class, ResolverComparison.class, KnownReply.class);

    /** Accessors deliberately not in the JSON, each with why. */
    private static final Map<String, String> EXCLUDED = Map.ofEntries(
            // The deciding attempt's evidence, repeated at the top for Java callers: in JSON it is
            // attempts[decidingIndex].
            Map.entry("ProbeResult.decidingAttempt", "attempts[decidingIndex]"),
            // Derived: the pem of each of peerCertificates, concatenated.
            Map.entry("TlsInfo.pemChain", "peerCertificates[*].pem"),
            Map.entry("ProbeResult.remoteAddress", "attempts[decidingIndex].remote"),
            Map.entry("ProbeResult.localAddress", "attempts[decidingIndex].local"),
            Map.entry("ProbeResult.knownReply", "attempts[decidingIndex].knownReply"),
            Map.entry("ProbeResult.ehloName", "attempts[decidingIndex].ehloName"),
            Map.entry("KnownReply.summary", "derived from provider, cause, owner and fix"),
            Map.entry("ProbeResult.greeting", "attempts[decidingIndex].greeting"),
            Map.entry("ProbeResult.ehlo", "attempts[decidingIndex].ehlo"),
            Map.entry("ProbeResult.capabilities", "attempts[decidingIndex].capabilities"),
            Map.entry("ProbeResult.tls", "attempts[decidingIndex].tls"),
            Map.entry("ProbeResult.lastReply", "attempts[decidingIndex].lastReply"),
            Map.entry("ProbeResult.failure", "attempts[decidingIndex].failure"),
            Map.entry("ProbeResult.auth", "attempts[decidingIndex].auth"),
            Map.entry("ProbeResult.recipients", "attempts[decidingIndex].recipients"),
            Map.entry("ProbeResult.timings", "attempts[decidingIndex].timingsMs"),
            Map.entry("ProbeResult.transcript", "every attempt's transcript, in attempts"),
            Map.entry("ProbeResult.report", "plain text for a ticket; the JSON is the machine form of the same facts"),
            Map.entry("ProbeResult.orThrow", "not a value"),
            Map.entry("ProbeResult.toBuilder", "not a value"),
            Map.entry("Attempt.toBuilder", "not a value"),
            Map.entry("BatchResult.failures", "the results whose ok is false; their count is failed"),
            Map.entry("ScopeSummary.hint", "the same facts as scope, failing, working and message"),
            Map.entry("SmtpReply.text", "the lines joined"),
            Map.entry("SmtpReply.isPositive", "derived from code"),
            Map.entry("SmtpReply.isIntermediate", "derived from code"),
            Map.entry("SmtpReply.isTransientFailure", "derived from code"),
            Map.entry("SmtpReply.isPermanentFailure", "derived from code"),
            Map.entry("Capabilities.startTls", "derived from extensions"),
            Map.entry("Capabilities.maxSize", "derived from extensions"),
            Map.entry("Capabilities.pipelining", "derived from extensions"),
            Map.entry("Capabilities.eightBitMime", "derived from extensions"),
            Map.entry("Capabilities.smtpUtf8", "derived from extensions"),
            Map.entry("Capabilities.dsn", "derived from extensions"),
            Map.entry("Capabilities.chunking", "derived from extensions"),
            Map.entry("Capabilities.enhancedStatusCodes", "derived from extensions"),
            Map.entry("Capabilities.authMechanisms", "derived from extensions"),
            Map.entry("AuthResult.isAuthenticated", "derived from status"),
            Map.entry("RecipientResult.isAccepted", "derived from status"),
            Map.entry("RecipientResult.isRejected", "derived from status"),
            Map.entry("MailHost.hasAddress", "addresses is not empty"),
            Map.entry("TlsInfo.leaf", "peerCertificates[0]"),
            Map.entry("Resolution.reachableHosts", "the hosts whose addresses are not empty"),
            Map.entry("Resolution.addresses", "every hosts[].addresses"),
            Map.entry("Resolution.records", "every lookups[].answers"),
            Map.entry("Resolution.resolvers", "every lookups[].resolver"));

    @Test
    void everyPublicAccessorOfTheResultTypesIsInTheSchemaOrExcludedWithAReason() {
        JsonNode defs = Schemas.SCHEMA_TREE.get("$defs");
        Set<String> missing = new TreeSet<>();
        Set<String> unusedExclusions = new TreeSet<>(EXCLUDED.keySet());
        for (Class<?> type : TYPES) {
            JsonNode definition = defs.get(type.getSimpleName());
            assertThat(definition).as("$defs/" + type.getSimpleName()).isNotNull();
            JsonNode properties = definition.get("properties");
            for (String accessor : accessors(type)) {
                String key = type.getSimpleName() + "." + accessor;
                if (EXCLUDED.containsKey(key)) {
                    unusedExclusions.remove(key);
                    assertThat(properties.has(field(type, accessor))).as(key + " is excluded but in the schema")
                            .isFalse();
                } else if (!properties.has(field(type, accessor))) {
                    missing.add(key + " -> " + field(type, accessor));
                }
            }
        }
        assertThat(missing).as("accessors missing from the schema").isEmpty();
        assertThat(unusedExclusions).as("exclusions naming no accessor").isEmpty();
    }

    @Test
    void everyDefinitionRequiresEachOfItsFieldsSoEveryFieldIsAlwaysWritten() {
        Schemas.SCHEMA_TREE.get("$defs").fields().forEachRemaining(e -> {
            JsonNode properties = e.getValue().get("properties");
            if (properties == null) {
                return;
            }
            Set<String> required = new TreeSet<>();
            e.getValue().get("required").forEach(n -> required.add(n.asText()));
            Set<String> declared = new TreeSet<>();
            properties.fieldNames().forEachRemaining(declared::add);
            assertThat(required).as(e.getKey()).isEqualTo(declared);
            assertThat(e.getValue().get("additionalProperties").asBoolean(true)).as(e.getKey()).isFalse();
        });
    }

    /** Public, non-static, no-argument, value-returning methods declared by the type, bean getters aside. */
    private static List<String> accessors(Class<?> type) {
        List<String> names = new ArrayList<>();
        Set<String> plain = new TreeSet<>();
        for (Method m : type.getDeclaredMethods()) {
            plain.add(m.getName());
        }
        for (Method m : type.getDeclaredMethods()) {
            String name = m.getName();
            boolean beanGetter = name.startsWith("get") && name.length() > 3
                    && plain.contains(Character.toLowerCase(name.charAt(3)) + name.substring(4));
            if (Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()
                    && m.getParameterCount() == 0 && m.getReturnType() != void.class && !beanGetter
                    && !Set.of("toString", "hashCode", "equals").contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The schema field an accessor is written as. */
    private static String field(Class<?> type, String accessor) {
        if (accessor.equals("isOk")) {
            return "ok";
        }
        try {
            Method m = type.getMethod(accessor);
            boolean durations = m.getReturnType() == Duration.class
                    || (Map.class.isAssignableFrom(m.getReturnType())
                        && m.getGenericReturnType().getTypeName().endsWith(Duration.class.getName() + ">"));
            return durations ? accessor + "Ms" : accessor;
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
