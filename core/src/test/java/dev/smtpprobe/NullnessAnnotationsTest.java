package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import java.lang.reflect.AnnotatedType;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The API's nullness as compilers see it (JSpecify, kept in the class files): the API packages are
 * {@code @NullMarked}, and exactly the accessors that may return null are {@code @Nullable}.
 */
class NullnessAnnotationsTest {

    @Test
    void theApiPackagesAreNullMarked() {
        assertThat(SmtpProbe.class.getPackage().isAnnotationPresent(NullMarked.class)).isTrue();
        assertThat(Transport.class.getPackage().isAnnotationPresent(NullMarked.class)).isTrue();
    }

    @Test
    void theNullableAccessorsOfTheResultAreMarkedAndNoOthers() {
        assertThat(nullableAccessors(ProbeResult.class)).containsExactlyInAnyOrder("auth", "comparison",
                "decidingAttempt", "ehlo", "failure", "greeting", "lastReply", "localAddress", "policyReason",
                "remoteAddress", "resolution", "tls");
        assertThat(nullableAccessors(Attempt.class)).containsExactlyInAnyOrder("auth", "ehlo", "failure",
                "greeting", "lastReply", "local", "policyReason", "tls");
        assertThat(nullableAccessors(TlsInfo.class)).containsExactly("leaf");
        assertThat(nullableAccessors(SmtpReply.class)).containsExactly("enhancedStatus");
        assertThat(nullableAccessors(RecipientResult.class)).containsExactlyInAnyOrder("reply", "reason");
        assertThat(nullableAccessors(AuthResult.class))
                .containsExactlyInAnyOrder("mechanism", "reply", "offeredBeforeStartTls");
        assertThat(nullableAccessors(PipeRequest.class)).containsExactly("localAddress");
    }

    @Test
    void aResultWithNothingOptionalReallyReturnsNullWhereMarked() {
        ProbeResult result = ProbeResult.builder().target("mx.test").ports(List.of(25)).verdict(Verdict.OK)
                .phase(Phase.QUIT).startedAt(java.time.Instant.EPOCH).elapsed(java.time.Duration.ZERO).build();
        for (String name : nullableAccessors(ProbeResult.class)) {
            Object value = invoke(result, name);
            assertThat(value).as(name).isNull();
        }
    }

    private static Set<String> nullableAccessors(Class<?> type) {
        Set<String> names = new TreeSet<>();
        Arrays.stream(type.getMethods())
                .filter(m -> m.getDeclaringClass() == type && m.getParameterCount() == 0)
                .filter(m -> isNullable(m.getAnnotatedReturnType()))
                .map(Method::getName)
                .forEach(names::add);
        return names;
    }

    private static boolean isNullable(AnnotatedType type) {
        return type.isAnnotationPresent(Nullable.class);
    }

    private static Object invoke(Object target, String name) {
        try {
            return target.getClass().getMethod(name).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(name, e);
        }
    }
}
