package dev.smtpprobe.netty.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Run as a child JVM in the client namespace: makes one connection attempt and prints one parseable line,
 * {@code RESULT key=value<TAB>key=value...}, that {@link ProbeOutcome#parse} reads back.
 *
 * <p>{@code connect HOST PORT TIMEOUT_MS}: a plain JDK socket connect, the ground truth of what the kernel
 * reports for a fault (used to prove the lab itself).
 */
public final class ProbeMain {

    private ProbeMain() {
    }

    /** @param args the mode and its arguments (see the class comment) */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        switch (mode) {
            case "connect" -> connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("mode: " + mode);
        }
    }

    private static void connect(String host, int port, int timeoutMs) {
        long start = System.nanoTime();
        String outcome;
        String message;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            outcome = "connected";
            message = "";
        } catch (IOException e) {
            outcome = e.getClass().getSimpleName();
            message = String.valueOf(e.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        print("outcome", outcome, "message", message, "ms", Long.toString(ms));
    }

    static void print(String... keyValues) {
        StringBuilder sb = new StringBuilder("RESULT");
        for (int i = 0; i < keyValues.length; i += 2) {
            sb.append(i == 0 ? ' ' : '\t').append(keyValues[i]).append('=')
                    .append(keyValues[i + 1].replace('\t', ' ').replace('\n', ' ').replace('\r', ' '));
        }
        System.out.println(sb);
        System.out.flush();
    }
}
