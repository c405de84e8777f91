package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A probe in {@code main} never keeps the JVM alive: the shared event loop threads are daemons. */
class DaemonThreadsTest {

    @Test
    void aJvmWhoseMainReturnsWithAConnectionOpenExits() throws Exception {
        assertThat(runChild(false)).contains("epoll=false"); // NIO by default, though the library is here
    }

    @Test
    void soDoesOneOnEpollWhenAskedFor() throws Exception {
        assertThat(runChild(true)).contains("epoll=" + io.netty.channel.epoll.Epoll.isAvailable());
    }

    private static String runChild(boolean epoll) throws Exception {
        try (LoopbackServer server = LoopbackServer.start(LoopbackServer::readsEof)) {
            String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dsmtpprobe.netty.epoll=" + epoll,
                    ProbeInMain.class.getName(), String.valueOf(server.address().getPort()))
                    .redirectErrorStream(true).start();
            boolean exited = child.waitFor(20, TimeUnit.SECONDS);
            if (!exited) {
                child.destroyForcibly().waitFor(); // still fail below, with the output
            }
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(exited).as("the child JVM exited by itself; output: " + output).isTrue();
            assertThat(child.exitValue()).as(output).isZero();
            assertThat(output).contains("main returns with the connection open");
            return output;
        }
    }
}
