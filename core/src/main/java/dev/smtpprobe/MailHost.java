package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A mail host found by resolution, in the order a probe tries them: an MX target with its preference, the domain
 * itself when it has no MX (the implicit MX of RFC 5321 §5.1), the host given to {@link SmtpProbe#to(String)},
 * or an address literal.
 *
 * @param name       the host name (ASCII, lower case, no trailing dot), or the address literal
 * @param preference the MX preference (lower is tried first); 0 for an implicit MX, a host or a literal
 * @param implicit   whether this is the domain itself standing in for a missing MX
 * @param addresses  the addresses to try, already filtered and ordered by the {@link IpVersion}
 * @param problems   what went wrong resolving this host, e.g. {@code "no A or AAAA record (dangling MX target)"}
 *                   or {@code "AAAA: SERVFAIL from 192.0.2.53:53"}; empty when nothing did
 */
public record MailHost(String name, int preference, boolean implicit, List<InetAddress> addresses,
                       List<String> problems) {

    /**
     * Checks and copies the components.
     *
     * @param name the host name (ASCII, lower case, no trailing dot), or the address literal
     * @param preference the MX preference (lower is tried first); 0 for an implicit MX, a host or a literal
     * @param implicit whether this is the domain itself standing in for a missing MX
     * @param addresses the addresses to try, already filtered and ordered by the {@link IpVersion}
     * @param problems what went wrong resolving this host, e.g. {@code "no A or AAAA record (dangling MX target)"} or
     *     {@code "AAAA: SERVFAIL from 192.0.2.53:53"}; empty when nothing did
     */
    public MailHost {
        Arguments.requireNonNull(name, "name");
        if (preference < 0 || preference > 0xffff) {
            throw new IllegalArgumentException("preference must be 0..65535: " + preference);
        }
        InetAddress[] bare = Arguments.requireNonNull(addresses, "addresses").toArray(new InetAddress[0]);
        for (int i = 0; i < bare.length; i++) {
            bare[i] = withoutName(bare[i]);
        }
        addresses = List.of(bare);
        problems = List.copyOf(Arguments.requireNonNull(problems, "problems"));
    }

    /**
     * The address alone: a resolver hands back addresses that carry the name they were looked up by, and such an
     * address prints (and serialises, e.g. with Jackson) as that name instead of the address. The name is
     * {@link #name()} already.
     */
    private static InetAddress withoutName(InetAddress address) {
        Arguments.requireArgument(address != null, "addresses must not contain null");
        try {
            if (address instanceof Inet6Address six && six.getScopeId() != 0) {
                return Inet6Address.getByAddress(null, six.getAddress(), six.getScopeId());
            }
            return InetAddress.getByAddress(address.getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("addresses: " + address, e); // cannot happen: 4 or 16 bytes
        }
    }

    /** {@return whether resolution found at least one usable address for this host} */
    public boolean hasAddress() {
        return !addresses.isEmpty();
    }

    /** {@code "10 mx1.example.com [192.0.2.1, 2001:db8::1]"}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(preference).append(' ').append(name);
        if (implicit) {
            sb.append(" (implicit MX)");
        }
        sb.append(" [");
        for (int i = 0; i < addresses.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(addresses.get(i).getHostAddress());
        }
        sb.append(']');
        if (!problems.isEmpty()) {
            sb.append(' ').append(problems);
        }
        return sb.toString();
    }
}
