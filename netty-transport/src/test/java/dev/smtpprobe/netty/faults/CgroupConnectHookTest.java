package dev.smtpprobe.netty.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.spi.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real cgroup/eBPF connect hook, as Kubernetes network policy agents install: a cgroup v2 child cgroup gets a
 * {@code BPF_PROG_TYPE_CGROUP_SOCK_ADDR} program at {@code BPF_CGROUP_INET4_CONNECT} and
 * {@code BPF_CGROUP_INET6_CONNECT} that returns 0 (deny), loaded by {@code connect-hook.py} with the bpf syscall
 * (Python's standard library only). The probe runs as a child JVM in the lab's client namespace, moved into that
 * cgroup by the shell that execs it, so its connect() fails with EPERM at once, before any packet leaves.
 *
 * <p>The verdict is BLOCKED_LOCALLY on both paths ({@code run()} and {@code runAsync()}) and both families, with
 * EPERM and the connect hook named as the evidence, never NETWORK_UNREACHABLE and never the word null, and the
 * attempt ends far inside the connect timeout. Skips when not root, without cgroup v2, python3 or a kernel that
 * accepts the program.
 */
class CgroupConnectHookTest {

    @RegisterExtension
    static final NetLabExtension LAB = new NetLabExtension(1);

    /** Large on purpose: the hook answers at once, so the attempt must take a small fraction of it. */
    private static final int CONNECT_MS = 5000;

    static NetLab lab;
    static NetLab.Target target;
    static Path cgroup;

    @BeforeAll
    static void hookedCgroup() throws IOException {
        Assumptions.assumeTrue(ServiceLoader.load(Transport.class).findFirst().isPresent(),
                "no Transport implementation on the test class path");
        Optional<Path> mount = cgroup2Mount();
        Assumptions.assumeTrue(mount.isPresent(), "no cgroup v2 hierarchy mounted (/proc/mounts has no cgroup2)");
        Optional<String> python = NetLab.which("python3");
        Assumptions.assumeTrue(python.isPresent(), "python3 is not installed (it loads the BPF program)");
        lab = LAB.lab();
        target = lab.target(1);
        lab.startJava(target.namespace(), TinySmtpResponder.class, Duration.ofSeconds(20), "25");

        cgroup = mount.get().resolve(NetLab.PREFIX + ProcessHandle.current().pid() + "hook");
        try {
            Files.createDirectory(cgroup);
        } catch (IOException e) {
            cgroup = null;
            Assumptions.abort("cannot create a cgroup under " + mount.get() + ": " + e);
        }
        Path script = Files.createTempFile("connect-hook", ".py");
        try (InputStream in = CgroupConnectHookTest.class.getResourceAsStream("connect-hook.py")) {
            Files.write(script, in.readAllBytes());
            String out;
            try {
                out = Cmd.run(Duration.ofSeconds(20), python.get(), script.toString(), "attach", cgroup.toString());
            } catch (IOException e) {
                out = e.getMessage();
            }
            Assumptions.assumeTrue(out.contains("ATTACHED"), "the kernel refused the connect hook: " + out.trim());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    @AfterAll
    static void removeCgroup() throws InterruptedException {
        if (cgroup == null) {
            return;
        }
        // Removing the cgroup detaches and frees its programs. The children have exited; the kernel may take a
        // moment to take them off cgroup.procs.
        for (int i = 0; i < 50 && Files.isDirectory(cgroup); i++) {
            try {
                Files.delete(cgroup);
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        assertThat(cgroup).as("the test's cgroup is removed").doesNotExist();
    }

    /** Without the hook the target answers: the verdicts below are the hook's doing, not the lab's. */
    @Test
    void withoutTheHookTheTargetAnswers() throws IOException {
        ProbeOutcome o = ProbeOutcome.parse(lab.runJava(lab.client(), ProbeMain.class, Duration.ofSeconds(40),
                "probe", target.v4(), "25", Integer.toString(CONNECT_MS), "NONE"));
        assertThat(o.get("verdict")).as(o.output()).isEqualTo("OK");
    }

    /** The ground truth: a plain JDK connect in the hooked cgroup fails at once with EPERM. */
    @Test
    void jdkConnectInTheHookedCgroupIsEperm() throws IOException {
        ProbeOutcome o = inHookedCgroup(List.of(), "connect", target.v4(), "25", Integer.toString(CONNECT_MS));
        assertThat(o.get("outcome")).as(o.output()).isNotEqualTo("connected");
        assertThat(o.get("message")).as(o.output()).contains("Operation not permitted");
        assertThat(o.number("ms")).as(o.output()).isLessThan(CONNECT_MS / 5);
    }

    @Test
    void connectHookIsBlockedLocallyOnBothPathsAndFamilies() throws IOException {
        for (List<String> path : List.of(List.<String>of(), List.of("-Dprobe.async=true"))) {
            for (String address : List.of(target.v4(), target.v6())) {
                // A first probe on the same path (blocked too) loads classes and starts the event loop, so the
                // measured one shows how long the hook takes, not a cold JVM.
                ProbeOutcome o = inHookedCgroup(path, "probe", address, "25", Integer.toString(CONNECT_MS), "NONE",
                        address + ",25");
                assertThat(o.get("verdict")).as(o.output()).isEqualTo("BLOCKED_LOCALLY");
                assertThat(o.get("phase")).as(o.output()).isEqualTo("CONNECT");
                assertThat(o.get("attempts")).as(o.output()).endsWith("=BLOCKED_LOCALLY")
                        .doesNotContain("NETWORK_UNREACHABLE");
                assertThat(o.get("detail")).as(o.output())
                        .contains("this host forbade the connection")
                        .contains("EPERM")
                        .contains("connect hook")
                        .contains("not a reject route")
                        .doesNotContain("null")
                        .doesNotContain("unreachable");
                assertThat(o.get("hintTexts")).as(o.output()).doesNotContain("null");
                // EPERM comes back from connect() itself: far inside the connect timeout, no SYN was waited for.
                assertThat(o.number("connectMs")).as(o.output()).isLessThan(CONNECT_MS / 5);
                assertThat(o.number("elapsedMs")).as(o.output()).isLessThan(CONNECT_MS / 2);
            }
        }
    }

    /**
     * Runs {@link ProbeMain} in the client namespace inside the hooked cgroup: a shell writes its own pid to
     * {@code cgroup.procs} and then execs {@code ip netns exec ... java}, so the JVM is born in the cgroup and every
     * connect it makes is the hook's to judge. (The shell joins the cgroup before entering the namespace:
     * {@code ip netns exec} mounts a fresh {@code /sys} without the cgroup hierarchy.)
     */
    private static ProbeOutcome inHookedCgroup(List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = NetLab.javaCommand(lab.client(), ProbeMain.class, args);
        cmd.addAll(cmd.indexOf("-cp"), jvmOptions);
        List<String> wrapped = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"",
                cgroup.resolve("cgroup.procs").toString()));
        wrapped.addAll(cmd);
        return ProbeOutcome.parse(Cmd.run(Duration.ofSeconds(40), wrapped.toArray(String[]::new)));
    }

    /** The cgroup v2 mount point ({@code /sys/fs/cgroup} on a unified host, {@code .../unified} on a hybrid one). */
    static Optional<Path> cgroup2Mount() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) {
                    return Optional.of(Path.of(f[1]));
                }
            }
        } catch (IOException e) {
            // Not Linux, or /proc is not mounted.
        }
        return Optional.empty();
    }
}
