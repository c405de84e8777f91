package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.netty.internal.NettyVersions;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An application whose Netty is older than the supported range, in a fresh JVM: this suite's class path with the
 * transport's Netty jars replaced by a real older release (the build copies it; it lacks an SSL API the transport
 * calls). The first probe, sync or async, fails at once with a message naming the versions found and needed, and
 * no connection is made; never a {@code NoClassDefFoundError} or {@code NoSuchMethodError} from an event loop.
 */
class UnsupportedNettyTest {

    /** A jar of one of the Netty artifacts the transport runs on, e.g. netty-handler-4.2.7.Final.jar. */
    private static final Pattern TRANSPORT_NETTY_JAR = Pattern.compile("(" + String.join("|",
            "netty-common", "netty-buffer", "netty-resolver", "netty-transport", "netty-codec", "netty-codec-base",
            "netty-handler", "netty-transport-native-unix-common", "netty-transport-classes-epoll",
            "netty-transport-native-epoll") + ")-\\d.*\\.jar");

    @Test
    void theFirstProbeFailsAtOnceNamingTheVersionsFoundAndNeeded() throws Exception {
        String oldVersion = System.getProperty("smtpprobe.test.tooOldNettyVersion");
        Path oldJars = Path.of(System.getProperty("smtpprobe.test.tooOldNetty"));
        String output;
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ESMTP").ehlo("mx.test"))) {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(java, "-cp", classPathWithNetty(oldJars),
                    UnsupportedNettyMain.class.getName(), String.valueOf(server.port()))
                    .redirectErrorStream(true).start();
            boolean exited = child.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly().waitFor();
            }
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exited).as(output).isTrue();
            assertThat(server.connectionCount()).as("no connection was made").isZero();
        }

        assertThat(output).as("the child ran the old Netty").contains("netty-transport=" + oldVersion);
        String refusal = "java.lang.IllegalStateException: The smtp-probe Transport on the class path could not be "
                + "made: smtp-probe-netty needs Netty " + NettyVersions.MIN_41 + " or a later 4.1.x, or "
                + NettyVersions.MIN_42 + " or later, but found ";
        assertThat(output.lines()).as(output)
                .anyMatch(l -> l.startsWith("runAsync=" + refusal) && l.contains("netty-transport " + oldVersion))
                .anyMatch(l -> l.startsWith("run=" + refusal) && l.contains("netty-handler " + oldVersion))
                .anyMatch(l -> l.startsWith("withOwnThreads=java.lang.IllegalStateException: smtp-probe-netty needs")
                        && l.contains("netty-common " + oldVersion))
                .noneMatch(l -> l.startsWith("result="));
        assertThat(output).doesNotContain("NoClassDefFoundError", "NoSuchMethodError", "ExceptionInInitializerError");
    }

    /** This JVM's class path with the transport's Netty jars replaced by those in {@code jars}. */
    private static String classPathWithNetty(Path jars) throws IOException {
        List<String> entries = new ArrayList<>();
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !TRANSPORT_NETTY_JAR.matcher(Path.of(e).getFileName().toString()).matches())
                .forEach(entries::add);
        try (Stream<Path> old = Files.list(jars)) {
            List<String> oldJars = old.map(Path::toString).filter(p -> p.endsWith(".jar")).collect(Collectors.toList());
            assertThat(oldJars).as("the build copied the old Netty to " + jars).hasSizeGreaterThanOrEqualTo(7);
            entries.addAll(oldJars);
        }
        return String.join(File.pathSeparator, entries);
    }
}
