package dev.smtpprobe.internal;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/** The default EHLO name. */
public final class EhloName {

    private EhloName() {
    }

    public static String defaultFor(InetSocketAddress local) {
        String host = System.getenv("HOSTNAME");
        if (host != null && host.contains(".") && host.matches("[A-Za-z0-9.-]+")) {
            return host;
        }
        if (local == null || local.getAddress() == null) {
            return "[127.0.0.1]";
        }
        return local.getAddress() instanceof Inet6Address
                ? "[IPv6:" + local.getAddress().getHostAddress().replaceAll("%.*$", "") + "]"
                : "[" + local.getAddress().getHostAddress() + "]";
    }
}
