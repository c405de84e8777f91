package dev.smtpprobe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The harness's handle on the {@link Sink} JVM: its ports, its CPU time, and its commands. */
final class SinkProcess implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintStream in;
    final List<InetSocketAddress> smtp;
    final List<InetSocketAddress> bare;
    final List<InetSocketAddress> hold;
    final List<InetSocketAddress> tls;
    final Path caFile;

    private SinkProcess(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        this.in = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        String ready = out.readLine();
        if (ready == null || !ready.startsWith("READY ")) {
            process.destroyForcibly();
            throw new IOException("sink did not start: " + ready);
        }
        Map<String, String> fields = new HashMap<>();
        for (String kv : ready.substring(6).split(" ")) {
            int eq = kv.indexOf('=');
            fields.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        smtp = ports(fields.get("smtp"));
        bare = ports(fields.get("bare"));
        hold = ports(fields.get("hold"));
        tls = ports(fields.get("tls"));
        caFile = Path.of(fields.get("ca"));
    }

    /** Starts a sink JVM with {@code portsPerGroup} listening ports in each group. */
    static SinkProcess start(int portsPerGroup) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Jvm.java(), "-Xms256m", "-Xmx1g", "-XX:+UseSerialGC",
                "-Dio.netty.leakDetection.level=disabled", "-cp", Jvm.classPath(), Sink.class.getName(),
                Integer.toString(portsPerGroup)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new SinkProcess(p);
    }

    private static List<InetSocketAddress> ports(String csv) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        return Arrays.stream(csv.split(",")).map(p -> new InetSocketAddress(lo, Integer.parseInt(p))).toList();
    }

    /** The sink's CPU time so far (user + system). */
    Duration cpu() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Connections accepted so far and replies now held. */
    synchronized long[] stats() {
        String line = command("STATS");
        String[] parts = line.split(" ");
        return new long[] {Long.parseLong(parts[1].substring("accepted=".length())),
                Long.parseLong(parts[2].substring("held=".length()))};
    }

    /** Sends every held reply; returns how many. */
    synchronized int release() {
        return Integer.parseInt(command("RELEASE").split(" ")[1]);
    }

    private String command(String cmd) {
        in.println(cmd);
        try {
            String line = out.readLine();
            if (line == null) {
                throw new IOException("sink exited");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        in.println("EXIT");
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
