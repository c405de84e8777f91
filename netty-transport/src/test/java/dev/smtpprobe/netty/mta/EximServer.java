package dev.smtpprobe.netty.mta;

import dev.smtpprobe.netty.faults.Cmd;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Exim 4, started in the foreground ({@code exim4 -C FILE -bdf}) by a test without systemd, on an
 * unprivileged loopback port with STARTTLS (GnuTLS) and a test certificate; stopped by ending that process.
 *
 * <p>Debian's MTA packages exclude each other, so CI installs Postfix as a package and unpacks
 * {@code exim4-base} and {@code exim4-daemon-light} beside it ({@code dpkg -x} into {@value #DEFAULT_ROOT}, see
 * {@code .ci/run}), with their libraries and the {@code Debian-exim} user. The binary is taken from the system
 * property {@code smtpprobe.exim}, then {@code /usr/sbin/exim4}, then the unpacked copy.
 *
 * <p>Why not OpenSMTPD: Debian 12's opensmtpd 6.8 fails every TLS handshake with OpenSSL 3 ("missing private
 * key" in its privilege-separated key process), so it cannot serve the STARTTLS tests.
 */
public final class EximServer implements MailServer {

    /** Where {@code .ci/run} unpacks the Exim packages. */
    static final String DEFAULT_ROOT = "/opt/exim4";
    private static final String USER = "Debian-exim";

    private final Path dir;
    private final int port;
    private Process process;

    private EximServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    static Optional<Path> binary() {
        for (String candidate : new String[] {System.getProperty("smtpprobe.exim"), "/usr/sbin/exim4",
                DEFAULT_ROOT + "/usr/sbin/exim4"}) {
            if (candidate != null && Files.isExecutable(Path.of(candidate))) {
                return Optional.of(Path.of(candidate));
            }
        }
        return Optional.empty();
    }

    /** Why Exim cannot run here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!MtaSupport.isRoot()) {
            return Optional.of("Exim needs root to start");
        }
        if (binary().isEmpty()) {
            return Optional.of("Exim is not installed (see .ci/run: exim4-daemon-light unpacked into "
                    + DEFAULT_ROOT + ")");
        }
        try {
            Cmd.run("id", USER);
        } catch (IOException e) {
            return Optional.of("Exim's user " + USER + " does not exist (see .ci/run)");
        }
        return Optional.empty();
    }

    /** Skips (or, on CI, fails) when Exim cannot run here. */
    public static void assumeAvailable() {
        MtaSupport.requireOrSkip(unavailableReason());
    }

    /**
     * Starts Exim.
     *
     * @param certs     the certificate offered with STARTTLS
     * @param rejectAll whether the connect ACL denies every client (a real 554 at the greeting)
     */
    public static EximServer start(MtaCertificates certs, boolean rejectAll) throws IOException {
        Path dir = MtaSupport.openDirectory("exim-test");
        EximServer server = new EximServer(dir, MtaSupport.freePort());
        try {
            server.run(certs, rejectAll);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void run(MtaCertificates certs, boolean rejectAll) throws IOException {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Path logs = Files.createDirectories(dir.resolve("log"));
        // Exim reads the key after giving up root: a copy readable by its group.
        Path cert = Files.copy(certs.serverCert(), dir.resolve("cert.pem"));
        Path key = Files.copy(certs.serverKey(), dir.resolve("key.pem"));
        Cmd.run("chown", "-R", USER, spool.toString(), logs.toString());
        Cmd.run("chgrp", USER, key.toString());
        Cmd.run("chmod", "640", key.toString());
        Path conf = dir.resolve("exim.conf");
        Files.writeString(conf, String.join("\n", List.of(
                "primary_hostname = mta.test",
                "daemon_smtp_ports = " + port,
                "local_interfaces = 127.0.0.1",
                "spool_directory = " + spool,
                "log_file_path = " + logs + "/%slog",
                "exim_user = " + USER,
                "exim_group = " + USER,
                "never_users = root",
                "keep_environment =",
                "tls_advertise_hosts = *",
                "tls_certificate = " + cert,
                "tls_privatekey = " + key,
                "smtp_banner = $smtp_active_hostname ESMTP Exim (smtp-probe test)",
                "acl_smtp_connect = acl_connect",
                "acl_smtp_rcpt = acl_rcpt",
                "begin acl",
                "acl_connect:",
                rejectAll ? "  deny message = 5.7.1 Client host rejected: smtp-probe test policy" : "  accept",
                "acl_rcpt:",
                "  deny message = relay not permitted",
                "begin routers",
                "begin transports",
                "")));
        Path out = dir.resolve("exim.out");
        process = new ProcessBuilder(binary().orElseThrow().toString(), "-C", conf.toString(), "-bdf")
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        MtaSupport.awaitListening("exim", port, Duration.ofSeconds(20), out);
    }

    @Override
    public String name() {
        return "Exim";
    }

    @Override
    public int port() {
        return port;
    }

    /** Exim's main and panic logs so far (for failure messages). */
    public String log() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String name : new String[] {"mainlog", "paniclog", "rejectlog"}) {
            Path f = dir.resolve("log").resolve(name);
            if (Files.exists(f)) {
                sb.append("--- ").append(name).append('\n').append(Files.readString(f));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        if (process != null) {
            // The daemon's per-connection children may outlive it for a moment and write to the log directory
            // (recreating it): end them too, and wait, before the directory is deleted.
            List<ProcessHandle> children = process.descendants().toList();
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (ProcessHandle child : children) {
                child.destroy();
                try {
                    child.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    child.destroyForcibly();
                }
            }
        }
        MtaSupport.deleteTree(dir);
    }
}
