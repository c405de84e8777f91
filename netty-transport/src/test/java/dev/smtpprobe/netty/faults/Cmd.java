package dev.smtpprobe.netty.faults;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a system command for the test fixtures, bounded in time, and returns its output. */
public final class Cmd {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private Cmd() {
    }

    /** Runs {@code command}, returns its standard output; fails on a non-zero exit with the output in the message. */
    public static String run(String... command) throws IOException {
        return run(DEFAULT_TIMEOUT, command);
    }

    /** As {@link #run(String...)}, killing the command after {@code timeout}. */
    public static String run(Duration timeout, String... command) throws IOException {
        String[] cmd = command.clone();
        // sbin is often not on PATH; resolve the program the way a root shell would.
        cmd[0] = cmd[0].contains("/") ? cmd[0] : NetLab.which(cmd[0]).orElse(cmd[0]);
        // Output goes to a file, not a pipe: a daemon the command starts (postfix) may keep a pipe open forever.
        Path out = Files.createTempFile("cmd", ".out");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                        + Files.readString(out, StandardCharsets.UTF_8));
            }
            String text = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Runs a clean-up command, ignoring failure (the thing may be gone already). */
    public static void quiet(String... command) {
        try {
            run(Duration.ofSeconds(15), command);
        } catch (IOException e) {
            // Clean-up of something that may not exist.
        }
    }
}
