package dev.smtpprobe.example.modular;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import java.time.Duration;

/**
 * Probes {@code host port} without TLS and prints the verdict, then the modules it ran in, one
 * {@code key=value} per line: what a modular application sees of smtp-probe.
 */
public final class ModularProbe {

    private ModularProbe() {
    }

    /**
     * Runs one probe.
     *
     * @param args the host and the port
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ModularProbe HOST PORT");
            System.exit(2);
        }
        ProbeResult result = SmtpProbe.to(args[0]).port(Integer.parseInt(args[1])).tls(TlsMode.NONE)
                .ehloName("client.test").deadline(Duration.ofSeconds(10)).run();
        System.out.println("verdict=" + result.verdict());
        System.out.println("summary=" + result.summary());
        System.out.println("app.module=" + ModularProbe.class.getModule().getName());
        System.out.println("api.module=" + SmtpProbe.class.getModule().getName());
        System.out.println("transport.module.present="
                + ModuleLayer.boot().findModule("dev.smtpprobe.netty").isPresent());
        System.exit(result.isOk() ? 0 : 1);
    }
}
