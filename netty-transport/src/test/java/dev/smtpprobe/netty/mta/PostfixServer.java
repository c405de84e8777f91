package dev.smtpprobe.netty.mta;

import dev.smtpprobe.netty.faults.Cmd;
import dev.smtpprobe.netty.faults.NetLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real Postfix, started by a test without systemd: its own configuration, queue and data directories under a
 * temporary directory, {@code smtpd} on an unprivileged loopback port, STARTTLS with a test certificate, log in
 * {@code maillog} there. Started with {@code postfix -c DIR start}, stopped with {@code postfix -c DIR stop}.
 *
 * <p>Needs root and the Debian {@code postfix} package (installed with "No configuration", so no system
 * instance runs).
 */
public final class PostfixServer implements MailServer {

    private final Path dir;
    private final Path conf;
    private final int port;

    private PostfixServer(Path dir, int port) {
        this.dir = dir;
        this.conf = dir.resolve("conf");
        this.port = port;
    }

    /** Why Postfix cannot run here, or empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!MtaSupport.isRoot()) {
            return Optional.of("Postfix needs root to start");
        }
        if (NetLab.which("postfix").isEmpty() || NetLab.which("postconf").isEmpty()) {
            return Optional.of("Postfix is not installed (Debian: apt-get install postfix)");
        }
        return Optional.empty();
    }

    /** Skips (or, on CI, fails) when Postfix cannot run here. */
    public static void assumeAvailable() {
        MtaSupport.requireOrSkip(unavailableReason());
    }

    /**
     * Starts Postfix.
     *
     * @param certs      the certificate smtpd offers with STARTTLS
     * @param mainCfLines extra {@code main.cf} lines (later lines override earlier ones)
     */
    public static PostfixServer start(MtaCertificates certs, String... mainCfLines) throws IOException {
        Path dir = MtaSupport.openDirectory("postfix-test");
        PostfixServer server = new PostfixServer(dir, MtaSupport.freePort());
        try {
            server.configure(certs, mainCfLines);
            Cmd.run(Duration.ofSeconds(30), "postfix", "-c", server.conf.toString(), "start");
            MtaSupport.awaitListening("postfix", server.port, Duration.ofSeconds(20), dir.resolve("maillog"));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void configure(MtaCertificates certs, String... mainCfLines) throws IOException {
        Files.createDirectories(conf);
        Path queue = Files.createDirectories(dir.resolve("queue"));
        Path data = Files.createDirectories(dir.resolve("data"));
        // master takes its lock in data_directory as the postfix user.
        Cmd.run("chown", "postfix", data.toString());
        StringBuilder main = new StringBuilder();
        for (String line : List.of(
                "compatibility_level = 3.6",
                "queue_directory = " + queue,
                "data_directory = " + data,
                "mail_owner = postfix",
                "setgid_group = postdrop",
                "myhostname = mta.test",
                "mydomain = test",
                "mydestination =",
                "inet_interfaces = 127.0.0.1",
                "inet_protocols = ipv4",
                // No syslog daemon on a test machine: postlogd writes the log into the test directory.
                "maillog_file_prefixes = " + dir,
                "maillog_file = " + dir.resolve("maillog"),
                "smtpd_banner = $myhostname ESMTP Postfix (smtp-probe test)",
                "smtpd_tls_cert_file = " + certs.serverCert(),
                "smtpd_tls_key_file = " + certs.serverKey(),
                "smtpd_tls_security_level = may",
                "smtpd_tls_loglevel = 1",
                // Nothing here is for delivery; keep the server from trying.
                "default_transport = error:no delivery in tests",
                "relay_transport = error:no delivery in tests")) {
            main.append(line).append('\n');
        }
        for (String line : mainCfLines) {
            main.append(line).append('\n');
        }
        Files.writeString(conf.resolve("main.cf"), main);
        // master.cf: smtpd on our port, no chroot (the queue is not a prepared chroot), and the services
        // smtpd talks to while a session runs.
        Files.writeString(conf.resolve("master.cf"), String.join("\n",
                "127.0.0.1:" + port + " inet n - n - - smtpd",
                "pickup unix n - n 60 1 pickup",
                "cleanup unix n - n - 0 cleanup",
                "qmgr unix n - n 300 1 qmgr",
                "tlsmgr unix - - n 1000? 1 tlsmgr",
                "rewrite unix - - n - - trivial-rewrite",
                "bounce unix - - n - 0 bounce",
                "defer unix - - n - 0 bounce",
                "trace unix - - n - 0 bounce",
                "verify unix - - n - 1 verify",
                "flush unix n - n 1000? 0 flush",
                "proxymap unix - - n - - proxymap",
                "error unix - - n - - error",
                "discard unix - - n - - discard",
                "anvil unix - - n - 1 anvil",
                "scache unix - - n - 1 scache",
                "postlog unix-dgram n - n - 1 postlogd",
                ""));
    }

    @Override
    public String name() {
        return "Postfix";
    }

    @Override
    public int port() {
        return port;
    }

    /** The server's log so far (for failure messages). */
    public String log() throws IOException {
        Path log = dir.resolve("maillog");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() {
        Path pidFile = dir.resolve("queue").resolve("pid").resolve("master.pid");
        Optional<ProcessHandle> master = Optional.empty();
        try {
            if (Files.exists(pidFile)) {
                master = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()));
            }
        } catch (IOException | NumberFormatException ignored) {
            // No master to wait for.
        }
        Cmd.quiet("postfix", "-c", conf.toString(), "stop");
        master.ifPresent(p -> {
            try {
                p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                // "stop" did not end it: end it and its children (this master is ours: its pid file is in our dir).
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        });
        MtaSupport.deleteTree(dir);
    }
}
