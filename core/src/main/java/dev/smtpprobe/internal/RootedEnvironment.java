package dev.smtpprobe.internal;

import dev.smtpprobe.HostEnvironment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link HostEnvironment} over a file system root; {@link #SYSTEM} is the real machine. */
public final class RootedEnvironment implements HostEnvironment {
    private static final int MAX_BYTES = 64 * 1024;
    public static final RootedEnvironment SYSTEM = new RootedEnvironment(Path.of("/"), null, null);

    private final Path root;
    private final Map<String, String> variables;
    private final List<InetAddress> addresses;

    public RootedEnvironment(Path root, Map<String, String> variables, List<InetAddress> addresses) {
        this.root = root;
        this.variables = variables;
        this.addresses = addresses;
    }

    private Path resolve(String absolutePath) {
        String relative = absolutePath.startsWith("/") ? absolutePath.substring(1) : absolutePath;
        return root.resolve(relative);
    }

    @Override
    public Optional<String> readFile(String absolutePath) {
        Path p = resolve(absolutePath);
        try (var in = Files.newInputStream(p)) {
            byte[] bytes = in.readNBytes(MAX_BYTES);
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String absolutePath) {
        try {
            return Files.exists(resolve(absolutePath));
        } catch (SecurityException e) {
            return false;
        }
    }

    @Override
    public Optional<String> variable(String name) {
        return Optional.ofNullable(variables == null ? System.getenv(name) : variables.get(name));
    }

    @Override
    public List<InetAddress> localAddresses() {
        if (addresses != null) {
            return addresses;
        }
        List<InetAddress> all = new ArrayList<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                all.addAll(Collections.list(ni.getInetAddresses()));
            }
        } catch (SocketException | RuntimeException e) {
            // No interface list: hints then rely on loopback checks alone.
        }
        return all;
    }

    @Override
    public String toString() {
        return "HostEnvironment[" + root + "]";
    }
}
