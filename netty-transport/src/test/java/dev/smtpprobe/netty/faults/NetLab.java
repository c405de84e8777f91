package dev.smtpprobe.netty.faults;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small private network of Linux network namespaces for fault tests: one client namespace, where the probe runs
 * in a child JVM, and target namespaces joined to it by veth pairs, each with its own firewall.
 *
 * <p>Addressing, and why: only TEST-NET-1 (192.0.2.0/24, RFC 5737) and a ULA prefix ({@value #V6_PREFIX}::/48,
 * RFC 4193), so no packet can ever mean a real host. Target {@code i} (from 1) shares the link
 * 192.0.2.(16i)/28 and fd00:5370:0:i::/64 with the client: the client is {@code .16i+1} / {@code ::1}, the
 * target {@code .16i+2} / {@code ::2}, and {@code .16i+3} / {@code ::3} is on the link with no host behind it.
 * The client has only these connected routes: no default route, no NAT, nothing beyond the veth links, so
 * {@link #UNROUTED_V4} and {@link #UNROUTED_V6} have no route at all.
 *
 * <p>Everything is removed by {@link #close()}; namespaces left by a JVM that died (same name prefix, creator
 * process gone) are removed when the next lab starts. A JVM shutdown hook closes labs still open.
 *
 * <p>Needs root and the {@code ip} and {@code iptables} commands (Debian: iproute2, iptables); see
 * {@link #unavailableReason()}.
 */
public final class NetLab implements AutoCloseable {

    /** Every namespace this harness creates starts with this, followed by the creating process id. */
    static final String PREFIX = "spf";
    /** The IPv6 ULA prefix of the lab (RFC 4193, fd00::/8). */
    static final String V6_PREFIX = "fd00:5370:0";
    /** An address in 192.0.2.0/24 that no route of the client covers. */
    public static final String UNROUTED_V4 = "192.0.2.250";
    /** An address in the lab's ULA prefix that no route of the client covers. */
    public static final String UNROUTED_V6 = "fd00:5370:0:ff::1";

    private static final AtomicInteger LABS = new AtomicInteger();
    private static final String[] SBIN = {"/usr/sbin", "/sbin", "/usr/bin", "/bin"};

    private final String name;
    private final String client;
    private final List<Target> targets = new ArrayList<>();
    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    /** One target host of the lab. */
    public record Target(int index, String namespace, String clientSideDevice) {
        /** The target's IPv4 address. */
        public String v4() {
            return "192.0.2." + (16 * index + 2);
        }

        /** The target's IPv6 address. */
        public String v6() {
            return V6_PREFIX + ":" + index + "::2";
        }

        /** The client's IPv4 address on this target's link. */
        public String clientV4() {
            return "192.0.2." + (16 * index + 1);
        }

        /** The client's IPv6 address on this target's link. */
        public String clientV6() {
            return V6_PREFIX + ":" + index + "::1";
        }

        /** An IPv4 address on this target's link that nobody answers ARP for. */
        public String absentV4() {
            return "192.0.2." + (16 * index + 3);
        }

        /** An IPv6 address on this target's link that nobody answers neighbour solicitations for. */
        public String absentV6() {
            return V6_PREFIX + ":" + index + "::3";
        }
    }

    private NetLab(String name) {
        this.name = name;
        this.client = name + "c";
        this.shutdownHook = new Thread(this::close, "netlab-cleanup-" + name);
    }

    /**
     * Why a lab cannot be built here, or empty when it can: not root, a command missing, or the kernel refusing
     * to create a namespace (an unprivileged container).
     */
    public static Optional<String> unavailableReason() {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return Optional.of("network namespaces need Linux");
        }
        if (!isRoot()) {
            return Optional.of("network namespace tests need root (run as root, as CI does)");
        }
        for (String tool : new String[] {"ip", "iptables", "ip6tables"}) {
            if (which(tool).isEmpty()) {
                return Optional.of("'" + tool + "' is not installed (Debian: apt-get install iproute2 iptables)");
            }
        }
        String probe = PREFIX + ProcessHandle.current().pid() + "probe";
        try {
            Cmd.run(Duration.ofSeconds(10), "ip", "netns", "add", probe);
            Cmd.run(Duration.ofSeconds(10), "ip", "netns", "exec", probe, "iptables", "-S");
        } catch (IOException e) {
            return Optional.of("cannot create a network namespace with iptables here: " + e.getMessage());
        } finally {
            Cmd.quiet("ip", "netns", "del", probe);
        }
        return Optional.empty();
    }

    /** Builds a lab with {@code targetCount} targets; remove it with {@link #close()}. */
    public static NetLab create(int targetCount) throws IOException {
        if (targetCount < 1 || targetCount > 8) {
            throw new IllegalArgumentException("targetCount must be 1..8: " + targetCount);
        }
        removeStale();
        NetLab lab = new NetLab(PREFIX + ProcessHandle.current().pid() + "x" + LABS.incrementAndGet());
        Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
        try {
            lab.build(targetCount);
        } catch (IOException | RuntimeException e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    private void build(int targetCount) throws IOException {
        addNamespace(client);
        for (int i = 1; i <= targetCount; i++) {
            String ns = name + "t" + i;
            addNamespace(ns);
            // veth names are limited to 15 characters; both ends live in our own namespaces, so short is fine.
            String clientDev = "vc" + i;
            String targetDev = "vt" + i;
            Cmd.run("ip", "link", "add", clientDev, "netns", client, "type", "veth", "peer", "name", targetDev,
                    "netns", ns);
            Target t = new Target(i, ns, clientDev);
            // nodad: the addresses are usable at once instead of after duplicate address detection (~2 s).
            inNs(client, "ip", "addr", "add", t.clientV4() + "/28", "dev", clientDev);
            inNs(client, "ip", "-6", "addr", "add", t.clientV6() + "/64", "dev", clientDev, "nodad");
            inNs(ns, "ip", "addr", "add", t.v4() + "/28", "dev", targetDev);
            inNs(ns, "ip", "-6", "addr", "add", t.v6() + "/64", "dev", targetDev, "nodad");
            // A neighbour that does not answer fails after one probe of 100 ms instead of 3 x 1 s, so the
            // "no host on the link" case ends well inside a short connect timeout.
            for (String fam : new String[] {"ipv4", "ipv6"}) {
                inNs(client, "sysctl", "-q", "-w", "net." + fam + ".neigh." + clientDev + ".mcast_solicit=1");
                inNs(client, "sysctl", "-q", "-w", "net." + fam + ".neigh." + clientDev + ".retrans_time_ms=100");
            }
            // No duplicate address detection for the link-local addresses either: while they are tentative,
            // neighbour discovery fails and the first IPv6 connect ends in EHOSTUNREACH.
            inNs(client, "sysctl", "-q", "-w", "net.ipv6.conf." + clientDev + ".accept_dad=0");
            inNs(ns, "sysctl", "-q", "-w", "net.ipv6.conf." + targetDev + ".accept_dad=0");
            inNs(client, "ip", "link", "set", clientDev, "up");
            inNs(ns, "ip", "link", "set", targetDev, "up");
            awaitIpv6(client, clientDev);
            awaitIpv6(ns, targetDev);
            targets.add(t);
        }
    }

    /**
     * Waits (at most 3 s) until a device has its IPv6 link-local address, out of the tentative state: until then
     * neighbour discovery fails and the first IPv6 connect to the lab ends in EHOSTUNREACH.
     */
    private void awaitIpv6(String ns, String dev) throws IOException {
        long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (System.nanoTime() < end) {
            String linkLocal = inNs(ns, "ip", "-6", "addr", "show", "dev", dev, "scope", "link");
            if (linkLocal.contains("fe80") && !linkLocal.contains("tentative")) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for IPv6 on " + dev, e);
            }
        }
        throw new IOException("no usable IPv6 link-local address on " + dev + " in " + ns + " within 3 s");
    }

    private static void addNamespace(String ns) throws IOException {
        Cmd.run("ip", "netns", "add", ns);
        Cmd.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    }

    /** The client namespace, where probes run. */
    public String client() {
        return client;
    }

    /** Target {@code i}, counting from 1. */
    public Target target(int i) {
        return targets.get(i - 1);
    }

    /** Runs a command in a namespace and returns its standard output; fails when it exits non-zero. */
    public String inNs(String ns, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return Cmd.run(Duration.ofSeconds(20), full.toArray(String[]::new));
    }

    /**
     * Gives a namespace its own {@code /etc/hosts} ({@code ip netns exec} bind-mounts
     * {@code /etc/netns/NS/hosts} over it), so a name resolves to lab addresses with the system resolver.
     * Removed with the lab.
     */
    public void hosts(String ns, String hostsFileContent) throws IOException {
        Path dir = Files.createDirectories(Path.of("/etc/netns", ns));
        Files.writeString(dir.resolve("hosts"), hostsFileContent);
    }

    /** Appends an iptables rule ({@code iptables -A ...}) in a namespace. */
    public void iptables(String ns, String... rule) throws IOException {
        List<String> full = new ArrayList<>(List.of("iptables", "-w", "-A"));
        full.addAll(List.of(rule));
        inNs(ns, full.toArray(String[]::new));
    }

    /** Appends an ip6tables rule ({@code ip6tables -A ...}) in a namespace. */
    public void ip6tables(String ns, String... rule) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip6tables", "-w", "-A"));
        full.addAll(List.of(rule));
        inNs(ns, full.toArray(String[]::new));
    }

    /** Removes every iptables and ip6tables rule in a namespace (between tests). */
    public void flushFirewall(String ns) throws IOException {
        inNs(ns, "iptables", "-w", "-F");
        inNs(ns, "ip6tables", "-w", "-F");
    }

    /**
     * Starts a Java main class of the test class path in a namespace, and waits until it prints {@code READY}.
     * The process is ended by {@link #close()}.
     */
    public synchronized Process startJava(String ns, Class<?> main, Duration startTimeout, String... args)
            throws IOException {
        Process p = new ProcessBuilder(javaCommand(ns, main, args)).redirectErrorStream(true).start();
        processes.add(p);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long end = System.nanoTime() + startTimeout.toNanos();
        StringBuilder seen = new StringBuilder();
        // Read on this thread with a watchdog: a child that never prints READY is killed, which ends readLine.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
                p.destroyForcibly();
            } catch (InterruptedException ignored) {
                // READY seen in time.
            }
        }, "netlab-start-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.equals("READY")) {
                    drain(p, out);
                    return p;
                }
                seen.append(line).append('\n');
            }
        } finally {
            watchdog.interrupt();
        }
        p.destroyForcibly();
        throw new IOException(main.getSimpleName() + " in " + ns + " did not start within " + startTimeout
                + ":\n" + seen);
    }

    /** Keeps reading a child's output so it never blocks on a full pipe; lines go to this JVM's stderr. */
    private static void drain(Process p, BufferedReader out) {
        Thread t = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    System.err.println("[child " + p.pid() + "] " + line);
                }
            } catch (IOException ignored) {
                // The child ended.
            }
        }, "netlab-drain-" + p.pid());
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs a Java main class of the test class path in a namespace to completion and returns its output.
     *
     * @throws IOException when it does not end within {@code timeout} (it is killed) or exits non-zero
     */
    public String runJava(String ns, Class<?> main, Duration timeout, String... args) throws IOException {
        return runJava(ns, List.of(), main, timeout, args);
    }

    /** As {@link #runJava(String, Class, Duration, String...)}, with extra JVM options (system properties). */
    public String runJava(String ns, List<String> jvmOptions, Class<?> main, Duration timeout, String... args)
            throws IOException {
        List<String> cmd = javaCommand(ns, main, args);
        cmd.addAll(cmd.indexOf("-cp"), jvmOptions);
        return Cmd.run(timeout, cmd.toArray(String[]::new));
    }

    static List<String> javaCommand(String ns, Class<?> main, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(which("ip").orElse("ip"), "netns", "exec", ns, java,
                // Start fast and small: these children live for a second or two.
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-Xss512k",
                "-Djava.net.preferIPv4Stack=false",
                "-Dio.netty.leakDetection.level=paranoid",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Ends the lab's processes and deletes its namespaces (and with them the veth pairs and rules). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            p.destroyForcibly();
        }
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Target t : targets) {
            Cmd.quiet("ip", "netns", "del", t.namespace());
        }
        Cmd.quiet("ip", "netns", "del", client);
        // Namespaces a failed build half made (not yet in targets).
        for (String ns : listNamespaces()) {
            if (ns.startsWith(name) && (ns.length() == name.length() + 1 || ns.charAt(name.length()) == 't'
                    || ns.charAt(name.length()) == 'c')) {
                Cmd.quiet("ip", "netns", "del", ns);
            }
        }
        removeEtcNetns(name);
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // Shutting down already.
            }
        }
    }

    /** Deletes namespaces (and their /etc/netns files) with our prefix whose creating process no longer runs. */
    static void removeStale() {
        List<String> names = new ArrayList<>(listNamespaces());
        Path etc = Path.of("/etc/netns");
        if (Files.isDirectory(etc)) {
            try (var dirs = Files.list(etc)) {
                dirs.map(d -> d.getFileName().toString()).forEach(names::add);
            } catch (IOException ignored) {
                // Nothing to add.
            }
        }
        for (String ns : names) {
            if (!ns.startsWith(PREFIX)) {
                continue;
            }
            String digits = ns.substring(PREFIX.length()).replaceAll("^(\\d+).*$", "$1");
            if (digits.isEmpty() || !Character.isDigit(digits.charAt(0))) {
                continue;
            }
            long pid = Long.parseLong(digits);
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            Cmd.quiet("ip", "netns", "del", ns);
            removeEtcNetns(ns);
        }
    }

    /** Removes the per-namespace files under /etc/netns of namespaces whose names start with {@code prefix}. */
    private static void removeEtcNetns(String prefix) {
        Path etc = Path.of("/etc/netns");
        if (!Files.isDirectory(etc)) {
            return;
        }
        try (var dirs = Files.list(etc)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith(prefix)).toList()) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // Best effort; removeStale tries again next time.
        }
    }

    /** The names in {@code ip netns list}. */
    static List<String> listNamespaces() {
        List<String> names = new ArrayList<>();
        try {
            for (String line : Cmd.run("ip", "netns", "list").split("\n")) {
                String n = line.trim().split("\\s+")[0];
                if (!n.isEmpty()) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            // No namespaces, or no ip: nothing to list.
        }
        return names;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** The full path of a command on PATH or in the sbin directories (often not on a non-root PATH). */
    public static Optional<String> which(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of(SBIN));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Optional.of(Path.of(dir, tool).toString());
            }
        }
        return Optional.empty();
    }
}
