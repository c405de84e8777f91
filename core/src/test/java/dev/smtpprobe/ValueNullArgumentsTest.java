package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.SmtpProtocolException;
import dev.smtpprobe.spi.TlsParameters;
import dev.smtpprobe.spi.TransportException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/**
 * The public value types and the SPI's values check their arguments in the one style of the public API: a null
 * where a value is required is an {@link IllegalArgumentException} whose message names the argument, never a
 * {@link NullPointerException}. Each record is built once with valid values (which must succeed, so the test
 * really reaches each check), then once per reference component with that component null.
 */
class ValueNullArgumentsTest {

    private static final List<Class<? extends Record>> RECORDS = List.of(
            AuthResult.class, BatchResult.class, Capabilities.class, CertificateInfo.class, ConfigFinding.class,
            DnsLookup.class, DnsRecord.class, FailureInfo.class, Hint.class, MailHost.class, RecipientResult.class,
            Resolution.class, ResolverComparison.class, ScopeSummary.class, SmtpReply.class, TlsInfo.class,
            TranscriptLine.class, PipeRequest.class, TlsParameters.class);

    @Test
    void aNullComponentOfAPublicValueIsAnIllegalArgumentNamingIt() throws Exception {
        List<String> rejected = new ArrayList<>();
        for (Class<? extends Record> type : RECORDS) {
            RecordComponent[] components = type.getRecordComponents();
            Constructor<?> canonical = type.getDeclaredConstructor(
                    java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            Object[] valid = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                valid[i] = sample(components[i]);
            }
            try {
                canonical.newInstance(valid);
            } catch (InvocationTargetException e) {
                fail(type.getSimpleName() + " rejects the test's valid values: " + e.getCause(), e.getCause());
            }
            for (int i = 0; i < components.length; i++) {
                if (components[i].getType().isPrimitive()) {
                    continue;
                }
                Object[] args = valid.clone();
                args[i] = null;
                String label = type.getSimpleName() + "." + components[i].getName() + " = null";
                try {
                    canonical.newInstance(args); // a component that may be null
                } catch (InvocationTargetException e) {
                    assertThat(e.getCause()).as(label).isExactlyInstanceOf(IllegalArgumentException.class)
                            .hasMessageContaining(components[i].getName());
                    rejected.add(label);
                }
            }
        }
        // The checks exist: most components of these values are required.
        assertThat(rejected).hasSizeGreaterThan(40).contains("Hint.code = null", "TlsInfo.protocol = null",
                "PipeRequest.remote = null", "TlsParameters.trustManager = null", "DnsRecord.resolver = null");
    }

    @Test
    void theSpiExceptionsNameANullArgument() {
        try {
            new TransportException(null, true, "refused", null);
            fail("a null kind was accepted");
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("kind");
        }
        try {
            new SmtpProtocolException(null, "bad", List.of());
            fail("a null kind was accepted");
        } catch (IllegalArgumentException e) {
            assertThat(e).hasMessageStartingWith("kind");
        }
    }

    private static Object sample(RecordComponent c) throws Exception {
        Class<?> t = c.getType();
        String name = c.getName();
        if (t == String.class) {
            return switch (name) {
                case "sha256Fingerprint" -> "00".repeat(32);
                case "type" -> "MX";
                default -> "mx.example.net";
            };
        }
        if (t == int.class) {
            return name.equals("code") ? 250 : name.equals("peerPort") ? 25 : 0;
        }
        if (t == long.class) {
            return name.equals("id") ? 1L : 60L;
        }
        if (t == boolean.class) {
            return false;
        }
        if (t.isEnum()) {
            return t.getEnumConstants()[0];
        }
        if (t == List.class) {
            return List.of();
        }
        if (t == Map.class) {
            return Map.of();
        }
        if (t == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (t == Instant.class) {
            return Instant.parse("2026-01-01T00:00:00Z");
        }
        if (t == InetSocketAddress.class) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);
        }
        if (t == InetAddress.class) {
            return InetAddress.getLoopbackAddress();
        }
        if (t == SmtpReply.class) {
            return new SmtpReply(250, null, List.of("ok"));
        }
        if (t == EnhancedStatus.class) {
            return new EnhancedStatus(2, 0, 0);
        }
        if (t == ScopeSummary.class) {
            return new ScopeSummary(ScopeSummary.Scope.values()[0], List.of(), List.of(), "none");
        }
        if (t == X509TrustManager.class) {
            return new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
        }
        throw new AssertionError("no sample value for " + t.getName() + " " + name + ": add one");
    }
}
