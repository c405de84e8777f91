package dev.smtpprobe.examples;

import dev.smtpprobe.ProbeResult;
import dev.smtpprobe.SmtpProbe;
import dev.smtpprobe.TlsMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * A pre-flight check for an application that sends mail: before starting, probe the configured relay the way the
 * application will use it (submission port 587, STARTTLS required) and refuse to start when the relay cannot work,
 * printing the escalation report instead of a vague "could not connect" an hour later.
 *
 * <pre>
 * SMTP_HOST=smtp.example.net java -cp smtp-probe.jar dev.smtpprobe.examples.PreflightExample [--warn-only]
 * </pre>
 *
 * <p>Configuration comes from the environment, as a container would pass it: {@code SMTP_HOST} (required),
 * {@code SMTP_PORT} (default 587), {@code SMTP_USERNAME} and {@code SMTP_PASSWORD} (when the relay needs AUTH),
 * {@code SMTP_CA_FILE} (a PEM file of CAs to trust, for a private relay).
 * With {@code --warn-only} a failed check is reported and the application starts anyway.
 */
public final class PreflightExample {

    private PreflightExample() {
    }

    /** Checks the relay, then starts the application (or exits 1 when the check fails without --warn-only). */
    public static void main(String[] args) {
        boolean warnOnly = Arrays.asList(args).contains("--warn-only");
        Map<String, String> env = System.getenv();
        String host = env.get("SMTP_HOST");
        if (host == null || host.isBlank()) {
            System.err.println("preflight: set SMTP_HOST to the mail relay");
            System.exit(64);
        }

        SmtpProbe relay;
        try {
            relay = relayProbe(host, env);
        } catch (IllegalArgumentException e) { // the builder names the bad setting
            System.err.println("preflight: bad mail relay configuration: " + e.getMessage());
            System.exit(64);
            return;
        }

        // --- the part to copy: probe the relay, report and stop on failure ---
        ProbeResult result = relay.run();
        if (!result.isOk()) {
            System.err.println(result.report());               // layer, addresses, time, transcript: ticket-ready
            if (!warnOnly) {
                System.err.println("preflight: mail relay check failed (" + result.verdict() + "); not starting");
                System.exit(1);
            }
            System.err.println("preflight: WARNING mail relay check failed (" + result.verdict() + "); starting anyway");
        }
        // --- end of the part to copy ---

        startApplication(result);
    }

    /** The relay as the application will use it: submission with STARTTLS required, bounded in time. */
    static SmtpProbe relayProbe(String host, Map<String, String> env) {
        SmtpProbe.Builder relay = SmtpProbe.to(host)
                .port(Integer.parseInt(env.getOrDefault("SMTP_PORT", "587")))
                .tls(TlsMode.STARTTLS_REQUIRED)                 // never send credentials in plain text
                .connectTimeout(Duration.ofSeconds(5))
                .deadline(Duration.ofSeconds(20));               // bounded: startup must not hang
        if (env.containsKey("SMTP_USERNAME")) {
            // The same credentials the application will use: a 535 here is a bad password, not a network problem.
            relay.auth(env.get("SMTP_USERNAME"), env.getOrDefault("SMTP_PASSWORD", "").toCharArray());
        }
        if (env.containsKey("SMTP_CA_FILE")) {
            relay.trustedCertificates(Path.of(env.get("SMTP_CA_FILE")));
        }
        return relay.build();
    }

    private static void startApplication(ProbeResult relayCheck) {
        System.out.println("preflight: " + relayCheck.summary());
        System.out.println("application started");
    }
}
