package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input is rejected, never repaired: every public setter and factory of {@link SmtpProbe}, its
 * {@link SmtpProbe.Builder}, {@link ProbeBatch} and {@link HostEnvironment} throws {@link IllegalArgumentException}
 * naming the argument, for null and for each kind of bad value, and accepts the values at its documented limits.
 */
class ArgumentValidationTest {

    private static SmtpProbe.Builder b() {
        return SmtpProbe.to("mx.example.net");
    }

    /** One bad call and the argument its message must name. */
    record Case(String name, ThrowingCallable call, String argument) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case bad(String name, String argument, ThrowingCallable call) {
        return new Case(name, call, argument);
    }

    static Stream<Case> badValues() {
        char[] pw = "secret".toCharArray();
        String local64 = "a".repeat(64);
        return Stream.of(
                // CR, LF and surrounding whitespace are errors, not something to strip.
                bad("host with leading space", "host", () -> SmtpProbe.to(" mx.example.net")),
                bad("host with trailing CRLF", "host", () -> SmtpProbe.to("mx.example.net\r\n")),
                bad("host with an inner LF", "host", () -> SmtpProbe.to("mx\n.example.net")),
                bad("domain with trailing tab", "domain", () -> SmtpProbe.mx("example.com\t")),
                bad("domain with U+2028", "domain", () -> SmtpProbe.mx("example.com\u2028")),
                bad("sender of whitespace and CRLF", "from", () -> b().envelope(" \r\n ", "bob@example.net")),
                bad("sender with leading space", "from", () -> b().envelope(" alice@example.org", "bob@example.net")),
                bad("sender with CRLF", "from", () -> b().envelope("alice@example.org\r\n", "bob@example.net")),
                bad("recipient with a smuggled command", "recipients[0]",
                        () -> b().envelope("", "bob@example.net\r\nRCPT TO:<eve@example.org>")),
                bad("second recipient with trailing space", "recipients[1]",
                        () -> b().envelope("", List.of("bob@example.net", "carol@example.net "))),
                bad("username with leading space", "username", () -> b().auth(" alice", pw)),
                bad("username with CRLF", "username", () -> b().auth("alice\r\n", pw)),
                bad("oauth2 username with LF", "username", () -> b().oauth2("alice\n", pw)),
                bad("supplier username with trailing space", "username", () -> b().auth("alice ", () -> pw.clone())),
                bad("resolver with leading space", "resolver", () -> b().resolver(" 192.0.2.53")),
                bad("resolver with CRLF", "resolver", () -> b().resolver("192.0.2.53\r\n")),
                bad("resolver and port with space", "resolver", () -> b().resolver("192.0.2.53 ", 53)),
                bad("compared resolver with space", "compareResolvers[1]",
                        () -> b().compareResolvers("192.0.2.1", " 192.0.2.2")),
                bad("sourceAddress with space", "sourceAddress", () -> b().sourceAddress(" 127.0.0.1")),
                bad("ehloName with trailing LF", "ehloName", () -> b().ehloName("client.test\n")),
                // Limits: EHLO name.
                bad("ehloName label of 64", "ehloName", () -> b().ehloName("a".repeat(64) + ".test")),
                bad("ehloName of 256 octets", "ehloName", () -> b().ehloName(domainOf(256))),
                bad("ehloName with empty label", "ehloName", () -> b().ehloName("client..test")),
                bad("ehloName with trailing dot", "ehloName", () -> b().ehloName("client.test.")),
                bad("ehloName not ASCII", "ehloName", () -> b().ehloName("clïent.test")),
                bad("ehloName IPv6 literal without tag", "ehloName", () -> b().ehloName("[::1]")),
                bad("ehloName IPv4 in an IPv6 tag", "ehloName", () -> b().ehloName("[IPv6:192.0.2.1]")),
                bad("ehloName unclosed literal", "ehloName", () -> b().ehloName("[192.0.2.1")),
                bad("ehloName literal that is a name", "ehloName", () -> b().ehloName("[client.test]")),
                // Limits: usernames and addresses (RFC 4616, RFC 5321 §4.5.3.1), in UTF-8 octets.
                bad("username of 256 octets", "username", () -> b().auth("u".repeat(256), pw)),
                bad("username of 128 two-octet characters", "username", () -> b().auth("é".repeat(128), pw)),
                bad("local part of 65", "recipients[0]", () -> b().envelope("", local64 + "a@example.net")),
                bad("local part of 66 octets in 33 characters", "from",
                        () -> b().envelope("é".repeat(33) + "@example.net", "bob@example.net")),
                bad("domain of 256", "recipients[0]", () -> b().envelope("", "a@" + domainOf(256))),
                bad("path of 257", "recipients[0]", () -> b().envelope("", local64 + "@" + domainOf(190))),
                // Timeouts: 1 ms to 1 hour (1 minute for DNS); huge amounts are out of range, not an overflow.
                bad("connectTimeout under 1 ms", "connectTimeout", () -> b().connectTimeout(Duration.ofNanos(999_999))),
                bad("greetingTimeout 999 us", "greetingTimeout", () -> b().greetingTimeout(999, TimeUnit.MICROSECONDS)),
                bad("replyTimeout negative", "replyTimeout", () -> b().replyTimeout(-1, TimeUnit.SECONDS)),
                bad("deadline over 1 hour", "deadline", () -> b().deadline(Duration.ofHours(1).plusNanos(1))),
                bad("deadline of two days", "deadline", () -> b().deadline(Duration.ofDays(2))),
                bad("connectTimeout Long.MAX_VALUE days", "connectTimeout",
                        () -> b().connectTimeout(Long.MAX_VALUE, TimeUnit.DAYS)),
                bad("deadline Long.MIN_VALUE seconds", "deadline", () -> b().deadline(Long.MIN_VALUE, TimeUnit.SECONDS)),
                bad("dnsTimeout Long.MAX_VALUE hours", "dnsTimeout", () -> b().dnsTimeout(Long.MAX_VALUE, TimeUnit.HOURS)),
                bad("dnsTimeout over a minute", "dnsTimeout", () -> b().dnsTimeout(Duration.ofSeconds(61))),
                bad("dnsTimeout under 1 ms", "dnsTimeout", () -> b().dnsTimeout(1, TimeUnit.NANOSECONDS)),
                // The nine setters that threw NullPointerException.
                bad("tls null", "tls", () -> b().tls(null)),
                bad("trustManager null", "trustManager", () -> b().trustManager(null)),
                bad("trustStore null", "trustStore", () -> b().trustStore(null)),
                bad("trustedCertificates null", "trustedCertificates", () -> b().trustedCertificates(null)),
                bad("sourceAddress(InetAddress) null", "sourceAddress", () -> b().sourceAddress((InetAddress) null)),
                bad("transport null", "transport", () -> b().transport(null)),
                bad("listener null", "listener", () -> b().listener(null)),
                bad("clock null", "clock", () -> b().clock(null)),
                bad("environment null", "environment", () -> b().environment(null)),
                // Nulls in the second argument and inside collections.
                bad("password null", "password", () -> b().auth("alice", (char[]) null)),
                bad("token supplier null", "token", () -> b().oauth2("alice", (java.util.function.Supplier<char[]>) null)),
                bad("recipients array null", "recipients", () -> b().envelope("", (String[]) null)),
                bad("recipients list null", "recipients", () -> b().envelope("", (List<String>) null)),
                bad("recipient null", "recipients[1]", () -> b().envelope("", Arrays.asList("bob@example.net", null))),
                bad("compared resolver null", "compareResolvers[0]", () -> b().compareResolvers(null, "192.0.2.1")),
                bad("batch target null", "targets[1]",
                        () -> SmtpProbe.batch(Arrays.asList("example.com", null), SmtpProbe::mx)),
                bad("batch probe null", "probes[0]", () -> SmtpProbe.batch((SmtpProbe) null)),
                bad("rootedAt variables null", "variables", () -> HostEnvironment.rootedAt(Path.of("/"), null, List.of())),
                bad("rootedAt addresses null", "localAddresses",
                        () -> HostEnvironment.rootedAt(Path.of("/"), Map.of(), null)),
                bad("rootedAt address null", "localAddresses[0]",
                        () -> HostEnvironment.rootedAt(Path.of("/"), Map.of(), Arrays.asList((InetAddress) null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void badValuesAreRejectedNamingTheArgument(Case c) {
        assertThatThrownBy(c.call()).as(c.name()).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(c.argument() + " ");
    }

    @Test
    void messagesNeverCarryTheLineBreaksTheyReject() {
        assertThatThrownBy(() -> b().envelope("", "bob@example.net\r\nRCPT TO:<eve@example.org>"))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
        assertThatThrownBy(() -> SmtpProbe.to("mx.example.net\r\nX"))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\r").doesNotContain("\n"));
    }

    @Test
    void theNullSenderIsOnlyTheEmptyString() {
        assertThat(b().envelope("", "bob@example.net").build().envelopeSender()).isEmpty();
        assertThatThrownBy(() -> b().envelope(" ", "bob@example.net")).hasMessageStartingWith("from must not be blank")
                .hasMessageContaining("use \"\" for the null sender");
    }

    @Test
    void valuesAtTheDocumentedLimitsAreAccepted() {
        String local64 = "a".repeat(64);
        assertThatCode(() -> b()
                .envelope(local64 + "@" + domainOf(189), "postmaster", "é".repeat(32) + "@example.net")
                .auth("u".repeat(255), "secret".toCharArray())
                .ehloName(domainOf(255))
                .connectTimeout(Duration.ofMillis(1)).greetingTimeout(1, TimeUnit.MILLISECONDS)
                .replyTimeout(Duration.ofHours(1)).deadline(1, TimeUnit.HOURS)
                .dnsTimeout(1, TimeUnit.MINUTES)
                .build()).doesNotThrowAnyException();
        assertThat((local64 + "@" + domainOf(189)).length()).isEqualTo(254);
        for (String literal : List.of("[192.0.2.1]", "[IPv6:2001:db8::1]", "[ipv6:::1]", "client.test", "localhost",
                "a-b.c_d.test")) {
            assertThat(b().ehloName(literal).build().ehloName()).isEqualTo(literal);
        }
        SmtpProbe probe = b().connectTimeout(1500, TimeUnit.MICROSECONDS).build();
        assertThat(probe.connectTimeout()).isEqualTo(Duration.ofNanos(1_500_000));
    }

    @Test
    void sourceAddressTakesLiteralsOnlyAndNeverLooksUpAName() {
        assertThat(b().sourceAddress("127.0.0.1").build().sourceAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(b().sourceAddress("[IPv6:::1]").build().sourceAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        // Names that look like hexadecimal or carry dots once went to the resolver (an UnknownHostException as the
        // cause told so); now they are rejected from their text alone.
        for (String name : List.of("dead.beef", "localhost.example", "mx.example.net", "a:b.example")) {
            assertThatThrownBy(() -> b().sourceAddress(name)).as(name)
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("sourceAddress must be an IP address literal").hasNoCause();
        }
    }

    /**
     * Every public method of the builder, of {@link ProbeBatch} and every public static factory of
     * {@link SmtpProbe} and {@link HostEnvironment} that takes an object: called with null for each object argument,
     * it throws {@link IllegalArgumentException}, never {@link NullPointerException}. A setter added later is
     * covered without being listed.
     */
    @Test
    void everyPublicSetterAndFactoryRejectsNullWithIllegalArgumentException() throws Exception {
        List<String> checked = new ArrayList<>();
        ProbeBatch batch = SmtpProbe.batch(b().build());
        List<Object[]> targets = new ArrayList<>();
        for (Method m : SmtpProbe.Builder.class.getMethods()) {
            targets.add(new Object[] {m, null});
        }
        for (Method m : ProbeBatch.class.getMethods()) {
            targets.add(new Object[] {m, batch});
        }
        for (Method m : SmtpProbe.class.getMethods()) {
            targets.add(new Object[] {m, null});
        }
        for (Method m : HostEnvironment.class.getMethods()) {
            targets.add(new Object[] {m, null});
        }
        for (Object[] t : targets) {
            Method m = (Method) t[0];
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            if (m.getDeclaringClass() == Object.class || m.getParameterCount() == 0
                    || (!m.getDeclaringClass().isAssignableFrom(SmtpProbe.Builder.class)
                    && m.getDeclaringClass() != ProbeBatch.class && !isStatic)) {
                continue;
            }
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                if (types[i].isPrimitive()) {
                    continue;
                }
                Object[] args = validArguments(m);
                args[i] = null;
                Object receiver = isStatic ? null : t[1] != null ? t[1] : b();
                String label = m.getDeclaringClass().getSimpleName() + "." + m.getName()
                        + Arrays.toString(types) + " with null argument " + i;
                try {
                    m.invoke(receiver, args);
                    throw new AssertionError(label + " accepted null");
                } catch (InvocationTargetException e) {
                    assertThat(e.getCause()).as(label).isExactlyInstanceOf(IllegalArgumentException.class);
                    assertThat(e.getCause().getMessage()).as(label).matches("(?s)\\S+( supplier| unit)? (must not be null|must not be"
                            + " blank|must be an IP address literal).*");
                }
                checked.add(label);
            }
        }
        // The builder alone has some thirty setters taking objects; all of them were called.
        assertThat(checked).hasSizeGreaterThan(40);
    }

    /**
     * Every public setter of {@link SmtpProbe.Builder} and {@link ProbeBatch} that takes a number or ports rejects a
     * value out of its range with {@link IllegalArgumentException} naming the argument, found by reflection so that
     * a setter added later is covered without being listed. Only a seed accepts any number, and a message size any
     * positive one.
     */
    @Test
    void everyPublicSetterTakingANumberRejectsOneOutOfRangeNamingIt() throws Exception {
        List<String> checked = new ArrayList<>();
        List<Method> methods = new ArrayList<>(Arrays.asList(SmtpProbe.Builder.class.getMethods()));
        methods.addAll(Arrays.asList(ProbeBatch.class.getMethods()));
        for (Method m : methods) {
            Class<?>[] types = m.getParameterTypes();
            if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())
                    || m.getName().equals("shuffleSeed")) {
                continue;
            }
            for (int i = 0; i < types.length; i++) {
                List<Object> outOfRange = types[i] == int.class ? List.of(-1, 0, Integer.MIN_VALUE, Integer.MAX_VALUE)
                        : types[i] == long.class ? List.of(-1L, Long.MIN_VALUE, Long.MAX_VALUE)
                        : types[i] == int[].class ? List.of(new int[0], new int[] {0}, new int[] {25, 25},
                                new int[] {25, 65536}, new int[SmtpProbe.MAX_PORTS + 1])
                        : List.of();
                for (Object bad : outOfRange) {
                    boolean accepted = m.getName().equals("ndots") && bad.equals(0)
                            || m.getName().equals("messageSize") && bad.equals(Long.MAX_VALUE);
                    if (accepted) {
                        continue;
                    }
                    Object[] args = validArguments(m);
                    args[i] = bad;
                    Object receiver = m.getDeclaringClass() == ProbeBatch.class ? SmtpProbe.batch(b().build()) : b();
                    String label = m.getName() + Arrays.toString(types) + " with " + (bad instanceof int[] a
                            ? Arrays.toString(a) : bad) + " as argument " + i;
                    try {
                        m.invoke(receiver, args);
                        throw new AssertionError(label + " accepted it");
                    } catch (InvocationTargetException e) {
                        assertThat(e.getCause()).as(label).isExactlyInstanceOf(IllegalArgumentException.class);
                        assertThat(e.getCause().getMessage()).as(label).startsWith(m.getName() + " ");
                    }
                    checked.add(label);
                }
            }
        }
        // port, ports, resolver's port, ndots, messageSize, concurrency and the four (long, TimeUnit) timeouts.
        assertThat(checked).extracting(l -> l.substring(0, l.indexOf('[')))
                .contains("port", "ports", "resolver", "ndots", "messageSize", "concurrency", "connectTimeout",
                        "greetingTimeout", "replyTimeout", "deadline", "dnsTimeout");
    }

    /** Valid arguments for {@code m}, by parameter type and method name. */
    private static Object[] validArguments(Method m) throws Exception {
        Class<?>[] types = m.getParameterTypes();
        Object[] args = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i];
            if (t == int.class) {
                args[i] = m.getName().equals("port") || m.getName().equals("resolver") ? 25 : 1;
            } else if (t == long.class) {
                args[i] = 1L;
            } else if (t == boolean.class) {
                args[i] = true;
            } else if (t == String.class) {
                args[i] = switch (m.getName()) {
                    case "resolver", "sourceAddress" -> "127.0.0.1";
                    case "ehloName" -> "client.test";
                    case "envelope" -> "alice@example.org";
                    case "auth", "oauth2" -> "alice";
                    default -> "mx.example.net";
                };
            } else if (t == String[].class) {
                args[i] = m.getName().equals("compareResolvers") ? new String[] {"192.0.2.1", "192.0.2.2"}
                        : new String[] {"bob@example.net"};
            } else if (t == char[].class) {
                args[i] = "secret".toCharArray();
            } else if (t == int[].class) {
                args[i] = new int[] {25};
            } else if (t == SmtpProbe[].class) {
                args[i] = new SmtpProbe[] {b().build()};
            } else if (t == TimeUnit.class) {
                args[i] = TimeUnit.SECONDS;
            } else if (t == Duration.class) {
                args[i] = Duration.ofSeconds(1);
            } else if (t == Path.class) {
                args[i] = Path.of("/");
            } else if (t == Map.class) {
                args[i] = Map.of();
            } else if (t == List.class || t == java.util.Collection.class) {
                args[i] = m.getName().equals("compareResolvers")
                        ? List.of(new java.net.InetSocketAddress("192.0.2.1", 53), new java.net.InetSocketAddress("192.0.2.2", 53))
                        : m.getName().equals("envelope") ? List.of("bob@example.net")
                        : m.getName().equals("rootedAt") ? List.of()
                        : m.getName().equals("batch") && m.getParameterCount() == 2 ? List.of("example.com")
                        : List.of(b().build());
            } else {
                args[i] = null; // any other object: the null test sets it anyway, and the other slots are valid above
            }
        }
        return args;
    }

    /** A domain of exactly {@code octets} octets, labels of at most 63. */
    private static String domainOf(int octets) {
        StringBuilder sb = new StringBuilder();
        while (octets - sb.length() > 63) {
            sb.append("a".repeat(62)).append(".");
        }
        sb.append("b".repeat(octets - sb.length()));
        return sb.toString();
    }
}
