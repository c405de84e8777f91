package dev.smtpprobe.netty.junit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} of the test class path in a fresh JVM of the same Java: for what is global to a JVM (its
 * system properties, its proxy selector, its first probe). The child must end within 60 s with exit status 0.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Runs {@code main} with these JVM options and arguments and returns its output lines (standard output and
     * error, merged).
     */
    public static List<String> run(Class<?> main, List<String> options, String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(options);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        boolean exited = p.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exited).as(output).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
