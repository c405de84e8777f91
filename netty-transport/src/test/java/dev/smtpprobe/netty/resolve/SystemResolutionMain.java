package dev.smtpprobe.netty.resolve;

import dev.smtpprobe.Hint;
import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.TranscriptLine;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Probes hosts with the system's resolver configuration, as an application would: run in a child JVM by
 * {@link SystemResolutionTest}, whose options give dnsjava its configuration ({@code dns.server}, {@code dns.search},
 * {@code dns.ndots}) and the JVM its hosts file ({@code jdk.net.hosts.file}). Even-numbered hosts run with
 * {@code run()}, odd-numbered with {@code runAsync()}. Prints each verdict, hint and DNS line.
 *
 * <p>Arguments: the SMTP port, a hosts file for the probe itself (so that the machine's {@code /etc/hosts} plays no
 * part), then the hosts; a host written {@code explicit:name} is probed with the resolver of {@code dns.server}
 * given explicitly ({@code resolver(...)}).
 */
public final class SystemResolutionMain {

    private SystemResolutionMain() {
    }

    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Path hostsFile = Path.of(args[1]);
        for (int i = 2; i < args.length; i++) {
            boolean explicit = args[i].startsWith("explicit:");
            SmtpProbe.Builder builder = SmtpProbe.to(args[i].substring(explicit ? "explicit:".length() : 0)).port(port)
                    .tls(TlsMode.NONE).dnsTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(10))
                    .hostsFile(hostsFile);
            if (explicit) {
                builder.resolver(System.getProperty("dns.server"));
            }
            SmtpProbe probe = builder.build();
            ProbeResult r = i % 2 == 0 ? probe.run() : probe.runAsync().join();
            System.out.println("probe " + args[i] + " verdict=" + r.verdict());
            for (Hint h : r.hints()) {
                System.out.println("hint " + args[i] + " " + h);
            }
            for (TranscriptLine l : r.transcript()) {
                if (l.text().startsWith("DNS ")) {
                    System.out.println("dns " + args[i] + " " + l.text());
                }
            }
        }
    }
}
