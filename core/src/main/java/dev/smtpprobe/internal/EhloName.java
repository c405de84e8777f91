package dev.smtpprobe.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The name the probe gives in EHLO when the user gave none (RFC 5321 §4.1.1.1): this machine's fully qualified
 * host name when it has one, else the address literal of the connection's local address ({@code [192.0.2.5]},
 * {@code [IPv6:2001:db8::5]}, RFC 5321 §4.1.3), which is what the RFC asks for when there is no meaningful name.
 *
 * <p>The machine's name is read once per JVM and never through DNS: from the {@code HOSTNAME} environment
 * variable, {@code /etc/hostname}, {@code /proc/sys/kernel/hostname}, and only as a last resort from
 * {@link InetAddress#getLocalHost()}, bounded in time because that call may query a slow resolver. A name is used
 * only when it is fully qualified: at least two letter-digit-hyphen labels, not all-numeric at the end, and not
 * {@code localhost}; a bare "web01" or a container id says less than the address.
 *
 * <p>{@link #check} validates a name the user gives. This class is threadsafe.
 */
public final class EhloName {

    /** RFC 5321 §4.5.3.1.2: a domain name is at most 255 octets. */
    public static final int MAX_DOMAIN_OCTETS = 255;
    /** RFC 1035 §2.3.4: a label is at most 63 octets. */
    public static final int MAX_LABEL_OCTETS = 63;

    /** How long the last-resort {@code getLocalHost()} may take before the address literal is used instead. */
    static final long LOCAL_HOST_LOOKUP_MILLIS = 200;

    /** Where the machine's name is read from; a seam so tests can give their own. */
    interface Environment {

        /** An environment variable, or null. */
        String variable(String name);

        /** The first line of a small text file, or null when it cannot be read. */
        String firstLine(Path file);

        /** The name {@link InetAddress#getLocalHost()} reports, or null; may block, may throw. */
        String localHostName() throws Exception;

        /** The running JVM's environment. */
        Environment SYSTEM = new Environment() {
            @Override
            public String variable(String name) {
                return System.getenv(name);
            }

            @Override
            public String firstLine(Path file) {
                try {
                    if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
                        return null;
                    }
                    String text = Files.readString(file, StandardCharsets.US_ASCII);
                    int nl = text.indexOf('\n');
                    return nl < 0 ? text : text.substring(0, nl);
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            }

            @Override
            public String localHostName() throws Exception {
                return InetAddress.getLocalHost().getHostName();
            }
        };
    }

    private EhloName() {
    }

    /** Reads the machine's name once, on first use. */
    private static final class Machine {
        static final String NAME = fullyQualifiedName(Environment.SYSTEM);
    }

    /**
     * The default EHLO name for a connection from {@code local}.
     *
     * @throws IllegalArgumentException when the machine has no fully qualified name and {@code local} has no address
     */
    public static String defaultFor(InetSocketAddress local) {
        return choose(Machine.NAME, local);
    }

    /** As {@link #defaultFor(InetSocketAddress)} with the machine's name read from {@code environment} now. */
    static String defaultFor(InetSocketAddress local, Environment environment) {
        return choose(fullyQualifiedName(environment), local);
    }

    private static String choose(String machineName, InetSocketAddress local) {
        if (machineName != null) {
            return machineName;
        }
        if (local == null || local.getAddress() == null) {
            throw new IllegalArgumentException("local must be a resolved socket address: " + local);
        }
        return addressLiteral(local.getAddress());
    }

    /**
     * {@code name} unchanged when it may be sent with EHLO: an ASCII domain (letters, digits, hyphens and
     * underscores; labels of 1 to {@value #MAX_LABEL_OCTETS} octets not starting or ending with a hyphen; at most
     * {@value #MAX_DOMAIN_OCTETS} octets in all; no trailing dot) or an address literal {@code [192.0.2.1]} or
     * {@code [IPv6:2001:db8::1]} (RFC 5321 §4.1.3, without a scope).
     *
     * @throws IllegalArgumentException naming {@code argument} otherwise
     */
    public static String check(String name, String argument) {
        Arguments.requireToken(name, argument);
        if (name.startsWith("[")) {
            checkLiteral(name, argument);
            return name;
        }
        Arguments.requireArgument(name.length() <= MAX_DOMAIN_OCTETS, "%s must be at most %d octets: %d",
                argument, MAX_DOMAIN_OCTETS, name.length());
        String[] labels = name.split("\\.", -1);
        for (String label : labels) {
            Arguments.requireArgument(!label.isEmpty() && label.length() <= MAX_LABEL_OCTETS,
                    "%s must have labels of 1 to %d octets (no empty label, no trailing dot): %s", argument,
                    MAX_LABEL_OCTETS, name);
            Arguments.requireArgument(!label.startsWith("-") && !label.endsWith("-"),
                    "%s must not have a label starting or ending with '-': %s", argument, name);
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                Arguments.requireArgument(isLdh(c) || c == '_', "%s must be an ASCII domain (letters, digits,"
                        + " hyphens) or an address literal like [192.0.2.1]; '%s' is not allowed: %s", argument, c, name);
            }
        }
        return name;
    }

    private static void checkLiteral(String name, String argument) {
        Arguments.requireArgument(name.endsWith("]") && name.length() > 2,
                "%s must be an address literal like [192.0.2.1] or [IPv6:2001:db8::1]: %s", argument, name);
        String inner = name.substring(1, name.length() - 1);
        boolean v6 = inner.regionMatches(true, 0, "IPv6:", 0, 5);
        String address = v6 ? inner.substring(5) : inner;
        Optional<InetAddress> parsed = address.indexOf('%') >= 0 || address.indexOf('[') >= 0
                ? Optional.empty() : Addresses.parseLiteral(address);
        Arguments.requireArgument(parsed.isPresent() && (parsed.get() instanceof Inet6Address) == v6,
                "%s must be an address literal like [192.0.2.1] or [IPv6:2001:db8::1] (IPv6 needs the tag, no"
                        + " scope): %s", argument, name);
    }

    /** {@code [192.0.2.5]} or {@code [IPv6:2001:db8::5]} (RFC 5321 §4.1.3), without an IPv6 scope. */
    static String addressLiteral(InetAddress address) {
        return address instanceof Inet6Address ? "[IPv6:" + TlsFacts.ipText(address) + "]"
                : "[" + address.getHostAddress() + "]";
    }

    /** The first fully qualified name the sources give, in order, or null. */
    static String fullyQualifiedName(Environment environment) {
        String name = qualified(environment.variable("HOSTNAME"));
        if (name == null) {
            name = qualified(environment.firstLine(Path.of("/etc/hostname")));
        }
        if (name == null) {
            name = qualified(environment.firstLine(Path.of("/proc/sys/kernel/hostname")));
        }
        if (name == null) {
            name = qualified(boundedLocalHostName(environment));
        }
        return name;
    }

    /** {@code getLocalHost()} on a daemon thread, abandoned after {@link #LOCAL_HOST_LOOKUP_MILLIS}. */
    private static String boundedLocalHostName(Environment environment) {
        FutureTask<String> lookup = new FutureTask<>(environment::localHostName);
        Thread thread = new Thread(lookup, "smtp-probe-local-host-name");
        thread.setDaemon(true);
        thread.start();
        try {
            return lookup.get(LOCAL_HOST_LOOKUP_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            return null;
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code name} without a trailing dot when it is a usable fully qualified domain name, else null. */
    static String qualified(String name) {
        if (name == null) {
            return null;
        }
        String n = name.strip();
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty() || n.length() > 253) {
            return null;
        }
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) {
            return null;
        }
        for (String label : labels) {
            if (!isLdhLabel(label)) {
                return null;
            }
        }
        String lower = n.toLowerCase(Locale.ROOT);
        if (labels[labels.length - 1].chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null; // an IPv4 address or similar, not a domain
        }
        if (lower.equals("localhost") || lower.startsWith("localhost.") || lower.endsWith(".localdomain")) {
            return null; // names every machine, so says nothing about this one
        }
        return n;
    }

    private static boolean isLdhLabel(String label) {
        if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            if (!isLdh(label.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLdh(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }
}
