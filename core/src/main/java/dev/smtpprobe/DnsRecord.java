package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;

/**
 * One DNS record a probe received and used, kept as evidence: who said what, and for how long it may be cached.
 *
 * <pre>{@code
 * for (DnsRecord r : result.resolution().records()) {
 *     System.out.println(r); // example.com. 300 MX 10 mx1.example.com. (via 192.0.2.53:53)
 * }
 * }</pre>
 *
 * @param name     the owner name, lower case, without the trailing dot ({@code example.com})
 * @param type     the record type mnemonic: {@code MX}, {@code A}, {@code AAAA}, {@code CNAME}
 * @param ttl      the time to live in seconds, as received (a cache counts it down)
 * @param value    the record data in presentation form: {@code 10 mx1.example.com}, {@code 192.0.2.1}
 * @param resolver which resolver gave the answer: {@code 192.0.2.53:53}, or {@code hosts file}
 */
public record DnsRecord(String name, String type, long ttl, String value, String resolver) {

    /**
     * Checks the components.
     *
     * @param name the owner name, lower case, without the trailing dot ({@code example.com})
     * @param type the record type mnemonic: {@code MX}, {@code A}, {@code AAAA}, {@code CNAME}
     * @param ttl the time to live in seconds, as received (a cache counts it down)
     * @param value the record data in presentation form: {@code 10 mx1.example.com}, {@code 192.0.2.1}
     * @param resolver which resolver gave the answer: {@code 192.0.2.53:53}, or {@code hosts file}
     */
    public DnsRecord {
        Arguments.requireNonNull(name, "name");
        Arguments.requireNonNull(type, "type");
        Arguments.requireNonNull(value, "value");
        Arguments.requireNonNull(resolver, "resolver");
        if (ttl < 0) {
            throw new IllegalArgumentException("ttl must not be negative: " + ttl);
        }
    }

    /** {@code "example.com 300 MX 10 mx1.example.com (via 192.0.2.53:53)"}. */
    @Override
    public String toString() {
        return name + " " + ttl + " " + type + " " + value + " (via " + resolver + ")";
    }
}
