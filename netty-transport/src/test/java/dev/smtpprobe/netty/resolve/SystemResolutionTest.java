package dev.smtpprobe.netty.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.netty.junit.ChildJvm;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import dev.smtpprobe.testkit.dns.MockDnsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe with the system's resolver configuration, in a fresh JVM whose configuration the test sets: dnsjava's
 * (the resolver, search list and ndots, through its {@code dns.*} properties) for the probe's DNS, and the JVM's own
 * ({@code -Djdk.net.hosts.file}) for {@code InetAddress}, so that the two can agree or differ on purpose. Nothing is
 * read from the machine's resolv.conf or hosts file, and no query leaves loopback.
 */
class SystemResolutionTest {

    @Test
    void theSystemSearchListReachesTheRelayAndTheJvmsOtherAnswersAreHints(@TempDir Path dir) throws Exception {
        Path jvmHosts = Files.writeString(dir.resolve("jvm-hosts"), String.join("\n",
                "127.0.0.1 smtp-relay", "127.0.0.2 moved-relay", "127.0.0.3 jvm-only", ""));
        Path probeHosts = Files.writeString(dir.resolve("probe-hosts"), "# nothing\n");
        List<String> out;
        try (MockDnsServer dns = MockDnsServer.start();
             MockSmtpServer smtp = new MockSmtpServer().start(Script.greeting("220 relay.test ESMTP").ehlo("relay.test"))) {
            dns.a("smtp-relay.example.test", "127.0.0.1").a("moved-relay.example.test", "127.0.0.1")
                    .a("dns-only.example.test", "127.0.0.1");
            out = child(List.of("-Ddns.server=127.0.0.1:" + dns.port(), "-Ddns.search=ns.example.test,example.test",
                    "-Ddns.ndots=5", "-Djdk.net.hosts.file=" + jvmHosts),
                    String.valueOf(smtp.port()), probeHosts.toString(), "smtp-relay", "moved-relay", "jvm-only", "dns-only", "explicit:moved-relay");
        }

        // The resolv.conf case of the issue: the search list of the system's configuration makes the name resolve;
        // the JVM gives the same address, so a name found only through the search list is no warning.
        assertThat(out).contains("probe smtp-relay verdict=OK");
        assertThat(out).filteredOn(l -> l.startsWith("dns smtp-relay DNS A ")).extracting(l -> l.split(" ")[4])
                .containsExactly("smtp-relay.ns.example.test", "smtp-relay.example.test");
        assertThat(out).noneMatch(l -> l.startsWith("hint smtp-relay"));

        // The JVM answers another address: the application would connect elsewhere than the probe did.
        assertThat(out).contains("probe moved-relay verdict=OK");
        assertThat(out).filteredOn(l -> l.startsWith("hint moved-relay")).singleElement().asString()
                .contains("JVM_RESOLVES_DIFFERENTLY: The JVM resolves moved-relay to 127.0.0.2, which the probe's DNS"
                        + " did not give")
                .contains("InetAddress.getAllByName(\"moved-relay\") -> [127.0.0.2]")
                .contains("the probe's DNS: [127.0.0.1]");

        // Only the JVM knows the name: the probe's DNS verdict stands, and the hint says where the application goes.
        assertThat(out).contains("probe jvm-only verdict=DNS_NO_SUCH_DOMAIN");
        assertThat(out).filteredOn(l -> l.startsWith("hint jvm-only")).singleElement().asString()
                .contains("The JVM resolves jvm-only to 127.0.0.3 where the probe's DNS found none");

        // Only DNS knows it: the application could not even look it up.
        assertThat(out).contains("probe dns-only verdict=OK");
        assertThat(out).filteredOn(l -> l.startsWith("hint dns-only")).singleElement().asString()
                .contains("The JVM cannot resolve dns-only, though the probe's DNS did")
                .contains("UnknownHostException");

        // A resolver given on purpose is not compared with the JVM's (that is what compareResolvers is for); the
        // system's search list still applies to it.
        assertThat(out).contains("probe explicit:moved-relay verdict=OK");
        assertThat(out).noneMatch(l -> l.startsWith("hint explicit:moved-relay"));
        assertThat(out).anyMatch(l -> l.startsWith("dns explicit:moved-relay DNS A moved-relay.example.test @127.0.0.1:"));
    }

    /** Runs {@link SystemResolutionMain} in a fresh JVM of the same Java, with these options; its output lines. */
    static List<String> child(List<String> options, String... args) throws Exception {
        return ChildJvm.run(SystemResolutionMain.class, options, args);
    }
}
