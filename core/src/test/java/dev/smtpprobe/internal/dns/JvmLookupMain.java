package dev.smtpprobe.internal.dns;

import dev.smtpprobe.IpVersion;
import dev.smtpprobe.Resolution;
import dev.smtpprobe.Resolution.Kind;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An application with smtp-probe and dnsjava on its class path: run in a child JVM by
 * {@link DnsjavaLeavesTheJvmAloneTest}. It resolves a name through smtp-probe's DNS (dnsjava, against the DNS server
 * whose port is the first argument), then {@code localhost} through {@link InetAddress}, as the application's own
 * code does, and prints the answers, the {@code InetAddressResolverProvider}s declared on the class path and the
 * resolver the JVM installed (read with reflection: the child runs with {@code --add-opens java.base/java.net}).
 */
public final class JvmLookupMain {

    private JvmLookupMain() {
    }

    public static void main(String[] args) throws Exception {
        int dnsPort = Integer.parseInt(args[0]);
        String name = args[1];
        Resolution probe = new DnsResolver(new DnsSettings(List.of(new InetSocketAddress("127.0.0.1", dnsPort)),
                Duration.ofSeconds(2), IpVersion.V4_ONLY, null, SearchList.NONE, null)).resolve(name, Kind.HOST).join();
        System.out.println("probe " + texts(probe.addresses()));
        for (URL services : Collections.list(ClassLoader.getSystemResources(
                "META-INF/services/java.net.spi.InetAddressResolverProvider"))) {
            try (InputStream in = services.openStream()) {
                System.out.println("provider " + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        }
        // localhost: the platform resolver answers it from the hosts file, and dnsjava's resolver hands it to the
        // JDK's too, so no query leaves the machine either way. The lookup makes the JVM choose its resolver.
        System.out.println("jvm localhost " + texts(List.of(InetAddress.getAllByName("localhost"))));
        System.out.println("resolver " + installedResolver());
    }

    /** The class of the resolver {@code InetAddress} uses (JDK 18+), or {@code none} on a JDK without the SPI. */
    private static String installedResolver() throws IllegalAccessException {
        Field field;
        try {
            field = InetAddress.class.getDeclaredField("resolver");
        } catch (NoSuchFieldException e) {
            return "none";
        }
        field.setAccessible(true);
        Object resolver = field.get(null);
        return resolver == null ? "null" : resolver.getClass().getName();
    }

    private static List<String> texts(List<InetAddress> addresses) {
        List<String> out = new ArrayList<>();
        addresses.forEach(a -> out.add(a.getHostAddress()));
        return out;
    }
}
