package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import dev.smtpprobe.internal.ProbeConfigBuilder;
import dev.smtpprobe.internal.dns.ResolverAddresses;
import dev.smtpprobe.internal.dns.SearchList;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The options of {@link SmtpProbe.Builder} that say where to connect: the ports, how the target is resolved and
 * which of its addresses are tried. Not part of the API: its setters are {@link SmtpProbe.Builder}'s. Each validates
 * its argument at once and stores it in the engine's {@link ProbeConfigBuilder}.
 */
abstract sealed class TargetOptions permits TlsOptions {

    /** The options as set so far; {@link SmtpProbe.Builder#build()} copies them. */
    final ProbeConfigBuilder config;

    TargetOptions(ProbeConfigBuilder config) {
        this.config = config;
    }

    /** This builder: every subclass is one. */
    final SmtpProbe.Builder self() {
        return (SmtpProbe.Builder) this;
    }

    /**
     * The TCP port (default 25). Also picks the default TLS mode: implicit for 465.
     *
     * @param port the TCP port, 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException when out of 1..65535
     */
    public SmtpProbe.Builder port(int port) {
        Arguments.requireArgument(port >= 1 && port <= 65535, "port must be 1..65535: %d", port);
        config.ports(List.of(port));
        return self();
    }

    /**
     * Sweeps several ports, e.g. {@code ports(25, 587, 465, 2525)}: each is probed with its default TLS mode
     * ({@link TlsMode#defaultFor(int)}: implicit TLS on 465, STARTTLS elsewhere) unless
     * {@link SmtpProbe.Builder#tls} sets one for all. The ports are probed concurrently; the result shows each ({@link ProbeResult#portVerdicts()}),
     * and says when port 25 timed out while another port connected (outbound port 25 blocked).
     *
     * @param ports the TCP ports to sweep, each 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException when null, empty, longer than {@value SmtpProbe#MAX_PORTS}, out of 1..65535, or
     *                                  repeated
     */
    public SmtpProbe.Builder ports(int... ports) {
        Arguments.requireNonNull(ports, "ports");
        Arguments.requireArgument(ports.length >= 1 && ports.length <= SmtpProbe.MAX_PORTS,
                "ports must list 1..%d ports: %s", SmtpProbe.MAX_PORTS, Arrays.toString(ports));
        Set<Integer> seen = new LinkedHashSet<>();
        for (int p : ports) {
            Arguments.requireArgument(p >= 1 && p <= 65535, "ports must be 1..65535: %d", p);
            Arguments.requireArgument(seen.add(p), "ports must not repeat: %d", p);
        }
        config.ports(List.copyOf(seen));
        return self();
    }

    /**
     * Asks this resolver instead of the system's: an address literal with an optional port ({@code 192.0.2.53},
     * {@code 192.0.2.53:5353}, {@code [2001:db8::53]:5353}). Call it again to add resolvers: the next is asked
     * when one fails (SERVFAIL, REFUSED, timeout, unreachable), never when one answers.
     *
     * @param address a resolver's address literal, with an optional port (default 53)
     * @return this builder
     * @throws IllegalArgumentException when it is null, holds whitespace or a line break anywhere, or is not an
     *                                  address literal with an optional port 1..65535
     */
    public SmtpProbe.Builder resolver(String address) {
        config.addResolver(ResolverAddresses.parse(address, "resolver"));
        return self();
    }

    /**
     * Asks this resolver, an address literal, on this port; see {@link SmtpProbe.Builder#resolver(String)}.
     *
     * @param address the resolver's address literal
     * @param port the resolver's port, 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException when the address is null, holds whitespace or a line break, is not a
     *                                  literal, or the port is out of 1..65535
     */
    public SmtpProbe.Builder resolver(String address, int port) {
        config.addResolver(ResolverAddresses.of(address, port, "resolver"));
        return self();
    }

    /**
     * Asks this resolver; see {@link SmtpProbe.Builder#resolver(String)}.
     *
     * @param address the resolver's resolved address and port
     * @return this builder
     * @throws IllegalArgumentException when null or unresolved
     */
    public SmtpProbe.Builder resolver(InetSocketAddress address) {
        Arguments.requireNonNull(address, "resolver");
        Arguments.requireArgument(!address.isUnresolved(), "resolver must be a resolved address: %s", address);
        config.addResolver(address);
        return self();
    }

    /**
     * The limit for each DNS query to one resolver (default 5 s).
     *
     * @param timeout the per-query limit, 1 ms to 1 minute
     * @return this builder
     * @throws IllegalArgumentException when null, shorter than 1 ms or longer than
     *                                  {@link SmtpProbe#MAX_DNS_TIMEOUT 1 minute}
     */
    public SmtpProbe.Builder dnsTimeout(Duration timeout) {
        config.dnsTimeout(Arguments.requireTimeout(timeout, SmtpProbe.MAX_DNS_TIMEOUT, "dnsTimeout"));
        return self();
    }

    /**
     * The limit for each DNS query to one resolver (default 5 s).
     *
     * @param timeout the amount of {@code unit}
     * @param unit the unit of {@code timeout}
     * @return this builder
     * @throws IllegalArgumentException when the unit is null, or the value is shorter than 1 ms or longer than
     *                                  {@link SmtpProbe#MAX_DNS_TIMEOUT 1 minute} (however large the amount)
     */
    public SmtpProbe.Builder dnsTimeout(long timeout, TimeUnit unit) {
        config.dnsTimeout(Arguments.requireTimeout(timeout, unit, SmtpProbe.MAX_DNS_TIMEOUT, "dnsTimeout"));
        return self();
    }

    /**
     * Which address families to use and in which order (default {@link IpVersion#ANY}).
     *
     * @param version the address families allowed and their order
     * @return this builder
     * @throws IllegalArgumentException when null
     */
    public SmtpProbe.Builder ipVersion(IpVersion version) {
        config.ipVersion(Arguments.requireNonNull(version, "ipVersion"));
        return self();
    }

    /**
     * Probes every host, address and port, instead of stopping at the first OK of each port (the default).
     *
     * @return this builder
     */
    public SmtpProbe.Builder allAttempts() {
        return allAttempts(true);
    }

    /**
     * Whether to probe every host, address and port (default false: stop at the first OK of each port).
     *
     * @param all {@code true} to probe everything, {@code false} to stop at the first OK of each port
     * @return this builder
     */
    public SmtpProbe.Builder allAttempts(boolean all) {
        config.allAttempts(all);
        return self();
    }

    /**
     * Also resolves the target through each of these resolvers, independently, and reports how their answers
     * differ ({@link ProbeResult#comparison()}): the way to catch a stale cache. Address literals with an
     * optional port, as for {@link SmtpProbe.Builder#resolver(String)}; at least two.
     *
     * @param addresses two or more resolver address literals, each with an optional port
     * @return this builder
     * @throws IllegalArgumentException when null, fewer than two are given, or one is null or not an address
     *                                  literal with an optional port (as {@link SmtpProbe.Builder#resolver(String)}
     *                                  checks it)
     */
    public SmtpProbe.Builder compareResolvers(String... addresses) {
        Arguments.requireNonNull(addresses, "compareResolvers");
        Arguments.requireArgument(addresses.length >= 2, "compareResolvers needs at least two resolvers");
        List<InetSocketAddress> parsed = new ArrayList<>();
        for (int i = 0; i < addresses.length; i++) {
            parsed.add(ResolverAddresses.parse(addresses[i], "compareResolvers[" + i + "]"));
        }
        return compareResolvers(parsed);
    }

    /**
     * {@link SmtpProbe.Builder#compareResolvers(String...)} with socket addresses.
     *
     * @param addresses two or more resolved resolver addresses
     * @return this builder
     * @throws IllegalArgumentException when null, fewer than two are given, or one is null or unresolved
     */
    public SmtpProbe.Builder compareResolvers(List<InetSocketAddress> addresses) {
        Arguments.requireNonNull(addresses, "compareResolvers");
        Arguments.requireArgument(addresses.size() >= 2, "compareResolvers needs at least two resolvers");
        for (int i = 0; i < addresses.size(); i++) {
            InetSocketAddress a = addresses.get(i);
            Arguments.requireNonNull(a, "compareResolvers[" + i + "]");
            Arguments.requireArgument(!a.isUnresolved(), "compareResolvers[%d] must be a resolved address: %s", i, a);
        }
        config.comparedResolvers(addresses);
        return self();
    }

    /**
     * The search list applied to the host of {@link SmtpProbe#to(String)}, instead of the system's
     * ({@code search} or {@code domain} in resolv.conf): a name with fewer than
     * {@link SmtpProbe.Builder#ndots(int) ndots} dots is tried with each domain appended, in order, then as given; a name with more is tried as given first; a
     * name that ends with a dot only as given. No domains: every name is tried as given only. A mail domain
     * ({@link SmtpProbe#mx(String)}) never uses a search list, as an MTA.
     *
     * <pre>{@code
     * SmtpProbe.to("smtp-relay").searchDomains("mail.svc.cluster.local", "svc.cluster.local").ndots(5).run();
     * }</pre>
     *
     * @param domains the search domains, in order; none for no search
     * @return this builder
     * @throws IllegalArgumentException when a domain is not a valid domain name
     */
    public SmtpProbe.Builder searchDomains(String... domains) {
        return searchDomains(Arrays.asList(Arguments.requireNonNull(domains, "searchDomains")));
    }

    /**
     * The search list applied to the host; see {@link SmtpProbe.Builder#searchDomains(String...)}.
     *
     * @param domains the search domains, in order; empty for no search
     * @return this builder
     * @throws IllegalArgumentException when a domain is not a valid domain name
     */
    public SmtpProbe.Builder searchDomains(List<String> domains) {
        config.searchDomains(SearchList.of(Arguments.requireNonNull(domains, "searchDomains"), 1, "searchDomains")
                .domains());
        return self();
    }

    /**
     * The number of dots from which a host name is tried as given before the search domains (resolv.conf's
     * {@code options ndots:n}; default: the system's, 1 when it sets none), 0 to 15.
     *
     * @param ndots the dot threshold, 0 to 15
     * @return this builder
     * @throws IllegalArgumentException when out of range
     */
    public SmtpProbe.Builder ndots(int ndots) {
        Arguments.requireArgument(ndots >= 0 && ndots <= SearchList.MAX_NDOTS, "ndots must be 0..%d: %d",
                SearchList.MAX_NDOTS, ndots);
        config.ndots(ndots);
        return self();
    }

    /**
     * Reads this hosts file (the format of {@code /etc/hosts}) for the host before DNS, instead of the system's;
     * it is read with {@link SmtpProbe.Builder#resolver(String) resolvers} given too, which otherwise skip the hosts
     * file.
     *
     * @param file a readable file in the format of {@code /etc/hosts}
     * @return this builder
     * @throws IllegalArgumentException when it is not a readable file
     */
    public SmtpProbe.Builder hostsFile(Path file) {
        Arguments.requireNonNull(file, "hostsFile");
        Arguments.requireArgument(Files.isRegularFile(file) && Files.isReadable(file),
                "hostsFile must be a readable file: %s", file);
        config.hostsFile(file);
        return self();
    }

    /**
     * Makes the order of equal-preference MX hosts reproducible (default: random each run); for tests.
     *
     * @param seed the seed of the shuffle of equal-preference MX hosts
     * @return this builder
     */
    public SmtpProbe.Builder shuffleSeed(long seed) {
        config.shuffleSeed(seed);
        return self();
    }
}
