package dev.smtpprobe.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The route this host's kernel would pick for a destination, read from Linux's {@code /proc/net/route} (IPv4, main
 * table) and {@code /proc/net/ipv6_route}: the evidence that tells a local {@code prohibit}/{@code unreachable}
 * route (flag {@code RTF_REJECT}) from a refusal that came back from the network. Java has no {@code ip route get};
 * this is the longest-prefix match over the tables the kernel publishes. Policy-routing tables other than main are
 * not published there, so a reject route in another table is not seen (the caller says so).
 *
 * <p>Parsing is pure code over the files' text; only {@link #lookup(InetAddress)} reads files.
 */
final class LocalRoutes {

    static final int RTF_REJECT = 0x0200;

    /** A matching route: its destination prefix as text and whether it is a reject route. */
    record Route(String prefix, boolean reject) {
    }

    private LocalRoutes() {
    }

    /** The longest-prefix match for {@code target} in this host's tables, or empty when not readable or none. */
    static Optional<Route> lookup(InetAddress target) {
        boolean v4 = target instanceof Inet4Address;
        Path file = Path.of(v4 ? "/proc/net/route" : "/proc/net/ipv6_route");
        try {
            List<String> lines = Files.readAllLines(file);
            return v4 ? matchV4(lines, target) : matchV6(lines, target);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // not Linux, or not readable: no evidence rather than a guess
        }
    }

    /** {@code /proc/net/route}: Iface Destination Gateway Flags RefCnt Use Metric Mask ..., little-endian hex. */
    static Optional<Route> matchV4(List<String> lines, InetAddress target) {
        byte[] t = target.getAddress();
        long addr = ((t[0] & 0xffL) << 24) | ((t[1] & 0xffL) << 16) | ((t[2] & 0xffL) << 8) | (t[3] & 0xffL);
        Route best = null;
        int bestLen = -1;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || f[0].equals("Iface")) {
                continue;
            }
            long dst = Integer.toUnsignedLong(Integer.reverseBytes((int) Long.parseLong(f[1], 16)));
            long mask = Integer.toUnsignedLong(Integer.reverseBytes((int) Long.parseLong(f[7], 16)));
            int flags = Integer.parseInt(f[3], 16);
            int len = Long.bitCount(mask);
            if ((addr & mask) == (dst & mask) && len > bestLen) {
                bestLen = len;
                best = new Route(v4Text(dst) + "/" + len, (flags & RTF_REJECT) != 0);
            }
        }
        return Optional.ofNullable(best);
    }

    /** {@code /proc/net/ipv6_route}: dst dstlen src srclen nexthop metric refcnt use flags dev, hex. */
    static Optional<Route> matchV6(List<String> lines, InetAddress target) {
        BigInteger addr = new BigInteger(1, target.getAddress());
        Route best = null;
        int bestLen = -1;
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || f[0].length() != 32) {
                continue;
            }
            int len = Integer.parseInt(f[1], 16);
            BigInteger dst = new BigInteger(f[0], 16);
            int flags = (int) Long.parseLong(f[8], 16);
            if (len == 0 && (flags & RTF_REJECT) != 0 && f[5].equalsIgnoreCase("ffffffff")) {
                continue; // the kernel's own "no route" entry, not a configured prohibit route
            }
            boolean matches = len == 0 || addr.shiftRight(128 - len).equals(dst.shiftRight(128 - len));
            if (matches && len > bestLen) {
                bestLen = len;
                best = new Route(v6Text(dst) + "/" + len, (flags & RTF_REJECT) != 0);
            }
        }
        return Optional.ofNullable(best);
    }

    private static String v4Text(long a) {
        return ((a >> 24) & 0xff) + "." + ((a >> 16) & 0xff) + "." + ((a >> 8) & 0xff) + "." + (a & 0xff);
    }

    private static String v6Text(BigInteger a) {
        byte[] raw = a.toByteArray();
        byte[] b = new byte[16];
        int n = Math.min(raw.length, 16);
        System.arraycopy(raw, raw.length - n, b, 16 - n, n);
        try {
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e); // 16 bytes are always an address
        }
    }
}
