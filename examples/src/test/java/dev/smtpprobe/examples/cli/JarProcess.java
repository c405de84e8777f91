package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the packaged jar ({@code target/smtp-probe.jar}, passed by failsafe as {@code smtpprobe.jar}) in a new JVM,
 * the way a user runs it, and captures its exit status, stdout and stderr.
 */
public final class JarProcess {

    /** How long one run may take before the test fails (the probes inside use timeouts of a few hundred ms). */
    static final Duration LIMIT = Duration.ofSeconds(30);

    /**
     * JVM flags for short runs on a small shared machine: the C1 compiler only and the serial collector start
     * faster and use less CPU; they change nothing the command does.
     */
    static final List<String> FAST_START = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** What a run produced. */
    public record Run(int exit, String stdout, String stderr, Duration took) {
        /** The first line of stdout. */
        public String firstLine() {
            return stdout.lines().findFirst().orElse("");
        }
    }

    private JarProcess() {
    }

    static Path jar() {
        String path = System.getProperty("smtpprobe.jar");
        assertThat(path).as("system property smtpprobe.jar (set by failsafe)").isNotNull();
        Path jar = Path.of(path);
        assertThat(jar).as("the packaged jar; run mvn verify").exists();
        return jar;
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar smtp-probe.jar args...} with the given extra environment. */
    static Run cli(Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(FAST_START);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        return run(command, env);
    }

    /** {@code java -jar smtp-probe.jar args...}. */
    static Run cli(String... args) {
        return cli(Map.of(), args);
    }

    /** {@code java -cp smtp-probe.jar mainClass args...}. */
    public static Run main(String mainClass, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(FAST_START);
        command.addAll(List.of("-cp", jar().toString(), mainClass));
        command.addAll(List.of(args));
        return run(command, env);
    }

    /** Writes {@code pem} to {@code dir/ca.pem} (again, if it exists) and returns the file. */
    public static Path pemFile(Path dir, String pem) {
        try {
            return Files.writeString(dir.resolve("ca.pem"), pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Run run(List<String> command, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("NO_COLOR");
        builder.environment().putAll(env);
        long start = System.nanoTime();
        Path out = null;
        Path err = null;
        try {
            // Files, not pipes: nothing to drain concurrently, and a chatty process can never block on a full pipe.
            out = Files.createTempFile("smtp-probe-out", ".txt");
            err = Files.createTempFile("smtp-probe-err", ".txt");
            builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            if (!process.waitFor(LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("did not finish within " + LIMIT + ": " + command
                        + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static void delete(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file left behind is harmless
            }
        }
    }
}
