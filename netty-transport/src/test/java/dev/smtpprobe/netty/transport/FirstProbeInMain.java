package dev.smtpprobe.netty.transport;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;

/**
 * An application's first and only probe, with the synchronous API: run in a child JVM by {@link FirstProbeTest},
 * which reads what it loaded. Prints the verdict and the names of the process's threads.
 */
public final class FirstProbeInMain {

    private FirstProbeInMain() {
    }

    public static void main(String[] args) {
        ProbeResult r = SmtpProbe.to("127.0.0.1").port(Integer.parseInt(args[0])).tls(TlsMode.NONE)
                .ehloName("probe.test").run();
        System.out.println("verdict=" + r.verdict());
        Thread.getAllStackTraces().keySet().forEach(t -> System.out.println("thread=" + t.getName()));
    }
}
