package dev.smtpprobe.example.modular;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Ports;
import dev.smtpprobe.testkit.Script;
import java.io.File;
import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The application module of this module, run by a JVM whose every jar is on the module path (no class path), as a
 * modular application runs: {@code requires dev.smtpprobe} resolves, the Netty transport is bound as a service
 * provider, and a real probe of a {@link MockSmtpServer} on loopback gets its verdict.
 */
class ModularConsumerTest {

    private static final String MAIN = "dev.smtpprobe.example.modular/dev.smtpprobe.example.modular.ModularProbe";

    @Test
    void aModularApplicationProbesThroughTheServiceBoundTransport() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP"))) {
            Run run = runModular("127.0.0.1", Integer.toString(server.port()));

            assertThat(run.exitCode).as(run.output).isZero();
            assertThat(run.output).contains("verdict=OK", "app.module=dev.smtpprobe.example.modular",
                    "api.module=dev.smtpprobe", "transport.module.present=true");
            assertThat(server.takeCommand(Duration.ofSeconds(5))).isEqualTo("EHLO client.test");
        }
    }

    @Test
    void aRefusedPortIsDiagnosedOnTheModulePathToo() throws Exception {
        Run run = runModular("127.0.0.1", Integer.toString(Ports.closed()));

        assertThat(run.exitCode).as(run.output).isEqualTo(1);
        assertThat(run.output).contains("verdict=CONNECTION_REFUSED", "api.module=dev.smtpprobe");
    }

    @Test
    void theModuleDescriptorsAreTheOnesChosenFor1_0() throws IOException {
        ModuleFinder finder = ModuleFinder.of(modulePath().toArray(Path[]::new));

        ModuleDescriptor core = finder.find("dev.smtpprobe").orElseThrow().descriptor();
        assertThat(core.isAutomatic()).isFalse();
        assertThat(core.exports().stream().map(ModuleDescriptor.Exports::source))
                .containsExactlyInAnyOrder("dev.smtpprobe", "dev.smtpprobe.spi");
        assertThat(core.uses()).containsExactly("dev.smtpprobe.spi.Transport");

        ModuleDescriptor netty = finder.find("dev.smtpprobe.netty").orElseThrow().descriptor();
        assertThat(netty.isAutomatic()).isFalse();
        assertThat(netty.exports().stream().map(ModuleDescriptor.Exports::source))
                .containsExactly("dev.smtpprobe.netty");
        assertThat(netty.provides()).singleElement().satisfies(p -> {
            assertThat(p.service()).isEqualTo("dev.smtpprobe.spi.Transport");
            assertThat(p.providers()).containsExactly("dev.smtpprobe.netty.NettyTransport");
        });
        assertThat(netty.requires().stream().filter(r -> r.name().equals("dev.smtpprobe")))
                .singleElement().satisfies(r -> assertThat(r.modifiers()).contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
    }

    private static List<Path> modulePath() throws IOException {
        String jars = Files.readString(Path.of(System.getProperty("smtpprobe.test.modulePath"))).trim();
        List<Path> path = new ArrayList<>();
        path.add(Path.of(System.getProperty("smtpprobe.test.classes")));
        Stream.of(jars.split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).forEach(path::add);
        return path;
    }

    private static Run runModular(String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String modulePath = modulePath().stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(java, "-p", modulePath, "-m", MAIN));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("modular-probe", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the modular JVM did not end within 60 s: " + command);
            }
            return new Run(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }

    private record Run(int exitCode, String output) {
    }
}
