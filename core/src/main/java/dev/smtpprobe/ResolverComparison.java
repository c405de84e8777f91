package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.List;

/**
 * The same domain resolved through several resolvers, independently, and how their answers differ: the way to
 * catch a stale cache sending mail to an address the recipient no longer uses.
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.mx("example.com").compareResolvers("192.0.2.53", "198.51.100.53").run();
 * ResolverComparison c = result.comparison();
 * if (!c.agree()) {
 *     c.differences().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Differences compare what decides where mail goes: the verdict, the set of mail hosts with their preferences,
 * and each host's addresses. TTLs and the shuffled order of equal preferences are not differences.
 *
 * @param name        the domain or host compared (ASCII form)
 * @param resolvers   the resolvers, in the order given
 * @param resolutions one resolution per resolver, in the same order
 * @param differences one sentence per difference, e.g.
 *                    {@code "mx1.example.com: 192.0.2.1 via 192.0.2.53:53, 192.0.2.9 via 198.51.100.53:53"};
 *                    empty when they agree
 */
public record ResolverComparison(String name, List<String> resolvers, List<Resolution> resolutions,
                                 List<String> differences) {

    /**
     * Checks and copies the components.
     *
     * @param name the domain or host compared (ASCII form)
     * @param resolvers the resolvers, in the order given
     * @param resolutions one resolution per resolver, in the same order
     * @param differences one sentence per difference, e.g. {@code "mx1.example.com: 192.0.2.1 via 192.0.2.53:53,
     *     192.0.2.9 via 198.51.100.53:53"}; empty when they agree
     */
    public ResolverComparison {
        Arguments.requireNonNull(name, "name");
        resolvers = List.copyOf(Arguments.requireNonNull(resolvers, "resolvers"));
        resolutions = List.copyOf(Arguments.requireNonNull(resolutions, "resolutions"));
        differences = List.copyOf(Arguments.requireNonNull(differences, "differences"));
        if (resolvers.size() != resolutions.size()) {
            throw new IllegalArgumentException("one resolution per resolver: " + resolvers.size() + " resolvers, "
                    + resolutions.size() + " resolutions");
        }
    }

    /** {@return whether every resolver gave the same mail hosts and addresses} */
    public boolean agree() {
        return differences.isEmpty();
    }

    @Override
    public String toString() {
        return "ResolverComparison{" + name + " via " + resolvers + (agree() ? ": agree" : ": " + differences) + "}";
    }
}
