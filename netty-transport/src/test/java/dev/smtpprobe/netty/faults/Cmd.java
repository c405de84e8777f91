package dev.smtpprobe.netty.faults;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("timed out after " + timeout + ": " + String.join(" ", command) + "\n"
                        + out.getNow(""));
            }
            String text = out.get(10, TimeUnit.SECONDS);
            if (p.exitValue() != 0) {
                throw new IOException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + text);
            }
            return text;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot read the output of " + String.join(" ", command), e);
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

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
