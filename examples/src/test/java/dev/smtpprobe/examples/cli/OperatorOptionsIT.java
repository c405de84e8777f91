package dev.smtpprobe.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.examples.cli.JarProcess.Run;
import dev.smtpprobe.testkit.Ports;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar: batch progress on a terminal stderr while stdout goes to a file, {@code --version} from the
 * manifest, and what the jar carries.
 */
class OperatorOptionsIT {

    private static final String SCRIPT = "/usr/bin/script";

    /** {@code script(1)} runs {@code shell} on a pseudo-terminal: what it writes to the terminal is the run's stdout. */
    private static Run onTerminal(String shell) {
        assumeTrue(new File(SCRIPT).canExecute(), "script(1) is needed for a pseudo-terminal");
        return JarProcess.run(List.of(SCRIPT, "-qec", shell, "/dev/null"), Map.of("TERM", "xterm"));
    }

    private static String batchCommand(Path dir) throws Exception {
        Path domains = Files.writeString(dir.resolve("domains.txt"), "[127.0.0.1]\n[127.0.0.1]\n");
        return JarProcess.java() + " " + String.join(" ", JarProcess.FAST_START) + " -jar " + JarProcess.jar()
                + " --batch " + domains + " -p " + Ports.closed() + " --timeout 2s";
    }

    @Test
    void batchProgressReachesTheTerminalWhileStdoutGoesToAFile(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.txt");
        Run run = onTerminal(batchCommand(dir) + " > " + results);

        assertThat(run.exit()).as(run.stdout() + run.stderr()).isEqualTo(ExitCode.TCP.code());
        assertThat(run.stdout()).as("the terminal").contains("] 2/2");
        String file = Files.readString(results);
        assertThat(file).startsWith("smtp-probe batch: 2 targets").doesNotContain("\r").doesNotContain("] 1/2");
    }

    @Test
    void noProgressWhenStderrIsRedirected(@TempDir Path dir) throws Exception {
        Path errors = dir.resolve("errors.txt");
        Run run = onTerminal(batchCommand(dir) + " 2> " + errors);

        assertThat(run.exit()).as(run.stdout()).isEqualTo(ExitCode.TCP.code());
        assertThat(run.stdout()).contains("smtp-probe batch: 2 targets").doesNotContain("] 2/2");
        assertThat(Files.readString(errors)).doesNotContain("] 2/2");
    }

    @Test
    void versionComesFromTheManifest() throws Exception {
        Run run = JarProcess.cli("--version");

        String manifestVersion;
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            manifestVersion = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
        }
        assertThat(run.exit()).isZero();
        assertThat(run.firstLine()).isEqualTo("smtp-probe " + manifestVersion);
    }

    /**
     * BouncyCastle only makes the demo's certificates: the jar keeps the classes reachable from there (the demo
     * itself runs from the jar in {@code CliProcessIT}), never the post-quantum algorithms or its Java 9+ copies.
     */
    @Test
    void theJarCarriesNoUnusedBouncyCastle() throws Exception {
        try (JarFile jar = new JarFile(JarProcess.jar().toFile())) {
            List<String> bc = jar.stream().map(e -> e.getName()).filter(n -> n.contains("org/bouncycastle/"))
                    .collect(Collectors.toList());
            assertThat(bc).isNotEmpty().noneMatch(n -> n.startsWith("org/bouncycastle/pqc/"))
                    .noneMatch(n -> n.startsWith("META-INF/versions/"));
        }
        assertThat(Files.size(JarProcess.jar())).as("bytes").isLessThan(10_000_000L);
    }
}
