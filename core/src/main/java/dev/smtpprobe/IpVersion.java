package dev.smtpprobe;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which address families a probe uses, and in which order it tries them.
 *
 * <pre>{@code
 * SmtpProbe.mx("example.com").ipVersion(IpVersion.PREFER_V4).run();
 * }</pre>
 *
 * <p>The order applies within each mail host; hosts keep their MX order. {@link #V4_ONLY} and {@link #V6_ONLY}
 * also decide which queries are sent: a probe restricted to IPv4 never asks for AAAA records.
 */
public enum IpVersion {
    /**
     * Both families, interleaved with IPv6 first (IPv6, IPv4, IPv6, ...), as Happy Eyeballs (RFC 8305 §4) orders
     * them: a broken IPv6 path is found by the first attempt without hiding the IPv4 one.
     */
    ANY,
    /** Every IPv4 address first, then every IPv6 address. */
    PREFER_V4,
    /** Every IPv6 address first, then every IPv4 address. */
    PREFER_V6,
    /** IPv4 only: no AAAA query, IPv6 addresses are never tried. */
    V4_ONLY,
    /** IPv6 only: no A query, IPv4 addresses are never tried. */
    V6_ONLY;

    /** {@return whether IPv4 addresses (A records) are used} */
    public boolean usesV4() {
        return this != V6_ONLY;
    }

    /** {@return whether IPv6 addresses (AAAA records) are used} */
    public boolean usesV6() {
        return this != V4_ONLY;
    }

    /**
     * Whether this setting allows the address's family.
     *
     * @param address an IPv4 or IPv6 address
     * @return {@code true} when this setting uses addresses of its family
     */
    public boolean allows(InetAddress address) {
        return address instanceof Inet6Address ? usesV6() : usesV4();
    }

    /**
     * The addresses this setting uses, in the order it tries them; the order within a family is kept.
     *
     * @param addresses the addresses found, in DNS order
     * @return the allowed addresses in the order they are tried; a new list
     * @throws IllegalArgumentException when {@code addresses} is null
     */
    public List<InetAddress> order(List<? extends InetAddress> addresses) {
        if (addresses == null) {
            throw new IllegalArgumentException("addresses must not be null");
        }
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        for (InetAddress a : addresses) {
            if (a instanceof Inet4Address) {
                v4.add(a);
            } else if (a instanceof Inet6Address) {
                v6.add(a);
            }
        }
        List<InetAddress> out = new ArrayList<>(addresses.size());
        switch (this) {
            case V4_ONLY -> out.addAll(v4);
            case V6_ONLY -> out.addAll(v6);
            case PREFER_V4 -> {
                out.addAll(v4);
                out.addAll(v6);
            }
            case PREFER_V6 -> {
                out.addAll(v6);
                out.addAll(v4);
            }
            case ANY -> {
                for (int i = 0; i < Math.max(v4.size(), v6.size()); i++) {
                    if (i < v6.size()) {
                        out.add(v6.get(i));
                    }
                    if (i < v4.size()) {
                        out.add(v4.get(i));
                    }
                }
            }
        }
        return List.copyOf(out);
    }
}
