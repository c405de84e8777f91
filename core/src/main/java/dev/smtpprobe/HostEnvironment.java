package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The facts of the machine a probe runs on, as hints read them: files such as {@code /.dockerenv},
 * {@code /proc/net/route} or {@code /sys/class/dmi/id/sys_vendor}, environment variables, and the machine's own
 * addresses.
 *
 * <p>{@link #system()} reads the real machine. {@link #rootedAt(Path, Map, List)} reads files below another
 * root, so a test can present a container or a cloud VM without being one:
 *
 * <pre>{@code
 * Path root = Files.createTempDirectory("container");
 * Files.createFile(root.resolve(".dockerenv"));
 * SmtpProbe.to("localhost").environment(HostEnvironment.rootedAt(root, Map.of(), List.of())).run();
 * }</pre>
 *
 * <p>Implementations must be threadsafe and must not block for long: hints read a handful of small files.
 */
public interface HostEnvironment {

    /**
     * The content of a file given by its absolute path on the machine (e.g. {@code "/proc/net/route"}), empty
     * when it does not exist or cannot be read. Only the first 64 KiB are read.
     *
     * @param absolutePath an absolute path, e.g. {@code "/etc/resolv.conf"}
     * @return the file's text (its first 64 KiB), or empty
     */
    Optional<String> readFile(String absolutePath);

    /**
     * Whether the file or directory exists.
     *
     * @param absolutePath an absolute path
     * @return {@code true} when a file or directory exists there
     */
    boolean exists(String absolutePath);

    /**
     * An environment variable, empty when unset.
     *
     * @param name the variable's name
     * @return its value, or empty when unset
     */
    Optional<String> variable(String name);

    /** {@return the addresses of this machine's network interfaces, loopback included} */
    List<InetAddress> localAddresses();

    /** {@return the real machine} */
    static HostEnvironment system() {
        return dev.smtpprobe.internal.RootedEnvironment.SYSTEM;
    }

    /**
     * Files below {@code root} (a path {@code /a/b} is read as {@code root/a/b}), the given variables, and the
     * given local addresses.
     *
     * @param root the directory that stands for {@code /}
     * @param variables the environment variables; copied
     * @param localAddresses the machine's local addresses; copied
     * @return an environment made of these facts only
     * @throws IllegalArgumentException naming the argument when one is null or holds null
     */
    static HostEnvironment rootedAt(Path root, Map<String, String> variables, List<InetAddress> localAddresses) {
        Arguments.requireNonNull(root, "root");
        Arguments.requireNonNull(variables, "variables");
        Arguments.requireNonNull(localAddresses, "localAddresses");
        variables.forEach((name, value) -> {
            Arguments.requireNonNull(name, "variables key");
            Arguments.requireNonNull(value, "variables[" + name + "]");
        });
        for (int i = 0; i < localAddresses.size(); i++) {
            Arguments.requireNonNull(localAddresses.get(i), "localAddresses[" + i + "]");
        }
        return new dev.smtpprobe.internal.RootedEnvironment(root, Map.copyOf(variables), List.copyOf(localAddresses));
    }
}
