package dev.smtpprobe.internal.dns;

import dev.smtpprobe.IpVersion;
import dev.smtpprobe.internal.Ticker;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to resolve.
 *
 * @param servers     the resolvers to ask, in order (the next one is asked when one fails: SERVFAIL, REFUSED, a
 *                    timeout or an unreachable resolver); empty for the system's resolvers, which also consults
 *                    the hosts file for a single host
 * @param timeout     how long each query to one resolver may take
 * @param ipVersion   which address families to ask for and in which order to try them
 * @param shuffleSeed the seed of the random order of MX hosts with equal preference, or {@code null} for a
 *                    different order each time (tests set it)
 * @param search      the search list and ndots applied to a single host's name (never to a mail domain), or
 *                    {@code null} for the system's ({@link SearchList#system()}, read when a resolution starts)
 * @param hostsFile   the hosts file read for a single host before DNS, or {@code null} for the system's hosts file
 *                    when the system's resolvers are used, and none when resolvers are given
 * @param ticker      the monotonic clock that times each query and the whole resolution
 */
public record DnsSettings(List<InetSocketAddress> servers, Duration timeout, IpVersion ipVersion, Long shuffleSeed,
                          SearchList search, Path hostsFile, Ticker ticker) {

    /** The default DNS query timeout: a resolver that takes longer is failing for mail purposes too. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    public DnsSettings {
        servers = List.copyOf(Objects.requireNonNull(servers, "servers"));
        for (InetSocketAddress s : servers) {
            if (s.isUnresolved()) {
                throw new IllegalArgumentException("resolver address must be resolved: " + s);
            }
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        Objects.requireNonNull(ipVersion, "ipVersion");
        Objects.requireNonNull(ticker, "ticker");
    }

    /** These settings, timed on {@link Ticker#SYSTEM}. */
    public DnsSettings(List<InetSocketAddress> servers, Duration timeout, IpVersion ipVersion, Long shuffleSeed,
                       SearchList search, Path hostsFile) {
        this(servers, timeout, ipVersion, shuffleSeed, search, hostsFile, Ticker.SYSTEM);
    }

    /** The system's resolvers, search list and hosts file, the default timeout, both families. */
    public static DnsSettings defaults() {
        return new DnsSettings(List.of(), DEFAULT_TIMEOUT, IpVersion.ANY, null, null, null);
    }

    /** Whether the system's resolvers are used. */
    public boolean usesSystemResolvers() {
        return servers.isEmpty();
    }

    /** These settings with other resolvers. */
    public DnsSettings withServers(List<InetSocketAddress> newServers) {
        return new DnsSettings(newServers, timeout, ipVersion, shuffleSeed, search, hostsFile, ticker);
    }
}
