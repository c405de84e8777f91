package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What makes an application's first probe cheap, checked in a fresh JVM: {@code run()} with the default transport
 * probes a real server without starting an event loop or loading Netty's implementation (its channel, buffer,
 * bootstrap and TLS classes), which is most of a cold start's cost (BENCHMARKS.md, section 5).
 */
class FirstProbeTest {

    /**
     * Netty classes that only an event-loop connection needs; a JDK-socket probe must load none of them. Also
     * {@code io.netty.util.Version}: the transport's Netty version check reads the same files itself, since
     * {@code Version.identify} parses dates, tens of milliseconds at start-up.
     */
    private static final List<String> NETTY_IMPLEMENTATION = List.of("io.netty.bootstrap.", "io.netty.buffer.",
            "io.netty.channel.nio.", "io.netty.channel.AbstractChannel", "io.netty.channel.MultiThreadIoEventLoopGroup",
            "io.netty.handler.ssl.", "io.netty.util.Version");

    @Test
    void theFirstSynchronousProbeStartsNoEventLoopAndLoadsNoNettyImplementation(@TempDir Path dir) throws Exception {
        Path classLog = dir.resolve("classes.txt");
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"))) {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            List<String> command = new ArrayList<>(List.of(java, "-Xlog:class+load=info:file=" + classLog));
            command.addAll(flightRecorderOptions());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), FirstProbeInMain.class.getName(),
                    String.valueOf(server.port())));
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            boolean exited = child.waitFor(20, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly().waitFor();
            }
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exited).as(output).isTrue();
            assertThat(output).contains("verdict=OK");
            assertThat(output.lines().filter(l -> l.startsWith("thread=")))
                    .as("no event loop was started").noneMatch(l -> l.contains("smtp-probe-netty"));
        }
        List<String> netty = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(" io.netty."))
                .map(l -> l.substring(l.indexOf(" io.netty.") + 1).split(" ")[0])
                .collect(Collectors.toList());
        assertThat(netty).as("Netty classes the first probe loaded").noneMatch(
                c -> NETTY_IMPLEMENTATION.stream().anyMatch(c::startsWith));
    }

    /**
     * This JVM's flight recording options, if any (the build's JFR leg): the child, an application's first probe,
     * then runs under the same recording.
     */
    private static List<String> flightRecorderOptions() {
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-XX:StartFlightRecording") || a.startsWith("-Xlog:jfr"))
                .collect(Collectors.toList());
    }
}
