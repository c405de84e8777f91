package dev.smtpprobe.bench;

import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.util.Properties;

/**
 * A fresh JVM's first and only probe with Angus Mail: {@code ColdStartAngus port}. Prints {@code OK} or
 * {@code FAIL ...} and the process's peak resident set (VmHWM, kB), then exits like {@link ColdStartSmtpProbe}.
 */
public final class ColdStartAngus {

    private ColdStartAngus() {
    }

    /** Connects to 127.0.0.1:port (220, EHLO, 250) and closes (QUIT, 221). */
    public static void main(String[] args) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.localhost", Clients.EHLO_NAME);
        p.setProperty("mail.smtp.connectiontimeout", "10000");
        p.setProperty("mail.smtp.timeout", "15000");
        String outcome;
        try {
            Transport t = Session.getInstance(p).getTransport("smtp");
            t.connect("127.0.0.1", Integer.parseInt(args[0]), null, null);
            t.close();
            outcome = "OK";
        } catch (Exception e) {
            outcome = "FAIL " + e;
        }
        System.out.println(outcome + " hwmKb=" + Jvm.procStatusKb("VmHWM"));
        System.exit(outcome.equals("OK") ? 0 : 1);
    }
}
