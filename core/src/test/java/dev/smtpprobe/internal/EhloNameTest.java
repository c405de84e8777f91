package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EhloNameTest {

    static final InetSocketAddress V4 = new InetSocketAddress(address("192.0.2.5"), 40000);
    static final InetSocketAddress V6 = new InetSocketAddress(address("2001:db8:0:0:0:0:0:5"), 40000);

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no DNS
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** An environment with the given variables and files, counting how often the last resort is asked. */
    static final class FakeEnvironment implements EhloName.Environment {
        final Map<String, String> variables;
        final Map<Path, String> files;
        final String localHostName;
        final AtomicInteger localHostCalls = new AtomicInteger();

        FakeEnvironment(Map<String, String> variables, Map<Path, String> files, String localHostName) {
            this.variables = variables;
            this.files = files;
            this.localHostName = localHostName;
        }

        @Override
        public String variable(String name) {
            return variables.get(name);
        }

        @Override
        public String firstLine(Path file) {
            return files.get(file);
        }

        @Override
        public String localHostName() throws Exception {
            localHostCalls.incrementAndGet();
            if ("THROW".equals(localHostName)) {
                throw new java.net.UnknownHostException("no name");
            }
            if ("HANG".equals(localHostName)) {
                Thread.sleep(10_000);
            }
            return localHostName;
        }
    }

    static FakeEnvironment env(String hostnameVariable, String etcHostname, String localHostName) {
        Map<String, String> vars = hostnameVariable == null ? Map.of() : Map.of("HOSTNAME", hostnameVariable);
        Map<Path, String> files = etcHostname == null ? Map.of() : Map.of(Path.of("/etc/hostname"), etcHostname);
        return new FakeEnvironment(vars, files, localHostName);
    }

    @Test
    void uses_the_hostname_variable_when_fully_qualified() {
        FakeEnvironment env = env("mail.example.org", "other.example.org", "third.example.org");

        assertThat(EhloName.defaultFor(V4, env)).isEqualTo("mail.example.org");
        assertThat(env.localHostCalls).hasValue(0);
    }

    @Test
    void falls_through_to_etc_hostname_when_the_variable_is_short() {
        assertThat(EhloName.defaultFor(V4, env("web01", "web01.example.org\n", null))).isEqualTo("web01.example.org");
    }

    @Test
    void reads_the_kernel_name_next() {
        FakeEnvironment env = new FakeEnvironment(Map.of(),
                Map.of(Path.of("/proc/sys/kernel/hostname"), "box.example.org"), null);

        assertThat(EhloName.defaultFor(V4, env)).isEqualTo("box.example.org");
        assertThat(env.localHostCalls).hasValue(0);
    }

    @Test
    void asks_the_jdk_only_as_a_last_resort() {
        FakeEnvironment env = env("web01", "web01", "web01.corp.example");

        assertThat(EhloName.defaultFor(V4, env)).isEqualTo("web01.corp.example");
        assertThat(env.localHostCalls).hasValue(1);
    }

    @Test
    void uses_the_ipv4_literal_without_a_qualified_name() {
        assertThat(EhloName.defaultFor(V4, env("3f2a9c1b0d4e", "3f2a9c1b0d4e", "3f2a9c1b0d4e"))).isEqualTo("[192.0.2.5]");
    }

    @Test
    void uses_the_ipv6_literal_with_its_tag() {
        assertThat(EhloName.defaultFor(V6, env(null, null, null))).isEqualTo("[IPv6:2001:db8::5]");
    }

    @Test
    void drops_the_ipv6_scope() throws Exception {
        InetAddress scoped = java.net.Inet6Address.getByAddress(null, address("fe80::1").getAddress(), 2);

        assertThat(EhloName.addressLiteral(scoped)).isEqualTo("[IPv6:fe80::1]");
    }

    @Test
    void a_failing_last_resort_gives_the_literal() {
        assertThat(EhloName.defaultFor(V4, env(null, null, "THROW"))).isEqualTo("[192.0.2.5]");
    }

    @Test
    void a_hanging_last_resort_is_abandoned_in_bounded_time() {
        long start = System.nanoTime();

        String name = EhloName.defaultFor(V4, env(null, null, "HANG"));

        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(name).isEqualTo("[192.0.2.5]");
        assertThat(millis).isLessThan(EhloName.LOCAL_HOST_LOOKUP_MILLIS + 300);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "mail.example.org          | mail.example.org",
            "Mail.Example.ORG          | Mail.Example.ORG",
            "mail.example.org.         | mail.example.org",
            "'  mail.example.org  '    | mail.example.org",
            "a-b.c-d.example           | a-b.c-d.example",
            "1.example                 | 1.example",
            "web01                     | NULL",
            "''                        | NULL",
            ".                         | NULL",
            "mail..example.org         | NULL",
            ".example.org              | NULL",
            "-mail.example.org         | NULL",
            "mail-.example.org         | NULL",
            "mail_1.example.org        | NULL",
            "mail.exämple.org          | NULL",
            "mail example.org          | NULL",
            "192.168.1.5               | NULL",
            "localhost                 | NULL",
            "localhost.localdomain     | NULL",
            "web01.localdomain         | NULL",
    })
    void accepts_only_fully_qualified_ldh_names(String input, String expected) {
        assertThat(EhloName.qualified(input)).isEqualTo(expected);
    }

    @Test
    void rejects_over_long_labels_and_names() {
        assertThat(EhloName.qualified("a".repeat(63) + ".example")).isNotNull();
        assertThat(EhloName.qualified("a".repeat(64) + ".example")).isNull();
        String longName = ("a".repeat(60) + ".").repeat(5) + "example";
        assertThat(longName.length()).isGreaterThan(253);
        assertThat(EhloName.qualified(longName)).isNull();
    }

    @Test
    void needs_a_local_address_when_there_is_no_name() {
        assertThatIllegalArgumentException().isThrownBy(() -> EhloName.defaultFor(null, env(null, null, null)))
                .withMessageContaining("local");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> EhloName.defaultFor(InetSocketAddress.createUnresolved("x", 1), env(null, null, null)))
                .withMessageContaining("local");
    }

    @Test
    void the_real_machine_gives_a_qualified_name_or_the_literal_and_the_same_one_twice() {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

        String first = EhloName.defaultFor(loopback);

        assertThat(first).satisfiesAnyOf(
                n -> assertThat(n).isEqualTo("[127.0.0.1]"),
                n -> assertThat(EhloName.qualified(n)).isEqualTo(n));
        assertThat(EhloName.defaultFor(loopback)).isEqualTo(first);
    }
}
