package dev.smtpprobe.bench;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;

/**
 * A fresh JVM's first and only probe with smtp-probe: {@code ColdStartSmtpProbe port}. Prints {@code OK} or
 * {@code FAIL ...} and the process's peak resident set (VmHWM, kB), then exits: the cold-start benchmark times the
 * whole process from outside.
 */
public final class ColdStartSmtpProbe {

    private ColdStartSmtpProbe() {
    }

    /** Runs one probe of 127.0.0.1:port. */
    public static void main(String[] args) {
        ProbeResult r = SmtpProbe.to("127.0.0.1").port(Integer.parseInt(args[0])).tls(TlsMode.NONE)
                .ehloName(Clients.EHLO_NAME).run();
        System.out.println((r.isOk() ? "OK" : "FAIL " + r.summary()) + " hwmKb=" + Jvm.procStatusKb("VmHWM"));
        // The transport's threads would keep the JVM alive; an application would go on, this one is done.
        System.exit(r.isOk() ? 0 : 1);
    }
}
