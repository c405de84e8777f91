package dev.smtpprobe.netty.mta;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** What the real-MTA fixtures share: availability checks, ports, directories, waiting for a listener. */
final class MtaSupport {

    private MtaSupport() {
    }

    /**
     * Skips the calling test (JUnit assumption) with {@code reason} when present, except on CI as root
     * ({@code CI=true}), where {@code .ci/run} installs the servers, so a missing one fails instead.
     */
    static void requireOrSkip(Optional<String> reason) {
        if (reason.isEmpty()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI")) && "root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(reason.get() + " (CI=true as root: .ci/run should have installed it)");
        }
        Assumptions.abort("real-MTA tests skipped: " + reason.get());
    }

    /**
     * Whether Postfix or Exim can run here. Without either, a test class makes no certificates (openssl) and each
     * test skips itself with its server's reason ({@link #requireOrSkip}), so every one counts as skipped.
     */
    static boolean anyServerCanRun() {
        return PostfixServer.unavailableReason().isEmpty() || EximServer.unavailableReason().isEmpty();
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A port free on loopback now (the server binds it a moment later; a clash only fails that start). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        }
    }

    /** A fresh directory that the servers' unprivileged users may traverse (a JUnit temp dir is private). */
    static Path openDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Waits until something accepts connections on the port, or fails after {@code timeout}. */
    static void awaitListening(String what, int port, Duration timeout, Path log) throws IOException {
        long end = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String logText = log != null && Files.exists(log) ? Files.readString(log) : "(no log)";
        throw new IOException(what + " did not listen on port " + port + " within " + timeout + ": " + last
                + "\n" + logText);
    }

    /** Deletes a directory tree, best effort (a server may still be writing into it). */
    static void deleteTree(Path dir) {
        if (Boolean.getBoolean("smtpprobe.keepServerDirs")) {
            return; // for a look at a failing server's files
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // Best effort.
                }
            });
        } catch (IOException ignored) {
            // Already gone.
        }
    }
}
