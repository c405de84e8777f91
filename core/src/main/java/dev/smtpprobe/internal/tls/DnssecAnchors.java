package dev.smtpprobe.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNSSEC trust anchors for local validation ({@code DnssecMode.VALIDATE}): DS or DNSKEY records in zone-file
 * presentation format, one per line, e.g. {@code . IN DS 20326 8 2 E06D...}. Parsed and checked once, when the
 * probe is configured. Immutable and threadsafe.
 *
 * <pre>{@code
 * DnssecAnchors anchors = DnssecAnchors.parse("example.test. IN DS 12345 13 2 AB12...");
 * ValidatingResolver validator = anchors.validator(new InetSocketAddress("127.0.0.1", 53), Duration.ofSeconds(5));
 * }</pre>
 */
public final class DnssecAnchors {

    /**
     * The root zone's trust anchors as IANA publishes them (root-anchors.xml, RFC 9718): KSK-2017 (key tag 20326)
     * and KSK-2024 (key tag 38696), both RSASHA256 with a SHA-256 digest.
     */
    static final String ROOT_TEXT = """
            . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
            . IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
            """;

    /** The default: the root zone's trust anchors. */
    public static final DnssecAnchors ROOT = parse(ROOT_TEXT);

    /** The TTL given to records written without one (it does not matter for an anchor). */
    private static final long ANCHOR_TTL = 86_400;

    private final List<RRset> anchors;
    private final String summary;

    private DnssecAnchors(List<RRset> anchors, String summary) {
        this.anchors = anchors;
        this.summary = summary;
    }

    /**
     * Parses trust anchors.
     *
     * @param records DS or DNSKEY records in presentation format (relative names are taken from the root)
     * @return the anchors
     * @throws IllegalArgumentException naming {@code dnssecTrustAnchors} when the text is blank, does not parse, or
     *                                  holds a record other than DS or DNSKEY
     */
    public static DnssecAnchors parse(String records) {
        if (records == null || records.isBlank()) {
            throw new IllegalArgumentException("dnssecTrustAnchors must not be blank");
        }
        Map<String, RRset> sets = new LinkedHashMap<>();
        List<String> shown = new ArrayList<>();
        try (Master master = new Master(new ByteArrayInputStream(records.getBytes(StandardCharsets.UTF_8)),
                Name.root, ANCHOR_TTL)) {
            for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
                if (r instanceof DSRecord ds) {
                    shown.add(ds.getName() + " DS " + ds.getFootprint());
                } else if (r instanceof DNSKEYRecord key) {
                    shown.add(key.getName() + " DNSKEY " + key.getFootprint());
                } else {
                    throw new IllegalArgumentException("dnssecTrustAnchors must hold only DS or DNSKEY records: " + r);
                }
                sets.computeIfAbsent(r.getName() + "/" + r.getType(), k -> new RRset()).addRR(r);
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage().startsWith("dnssecTrustAnchors")) {
                throw iae;
            }
            throw new IllegalArgumentException("dnssecTrustAnchors does not parse as DS/DNSKEY records: "
                    + e.getMessage(), e);
        }
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("dnssecTrustAnchors holds no record");
        }
        return new DnssecAnchors(List.copyOf(sets.values()), String.join(", ", shown));
    }

    /**
     * A validating resolver over {@code resolver} that starts from these anchors. It asks {@code resolver} for the
     * DNSSEC records (DO and CD bits) and validates them itself; a secure answer carries the AD flag, a bogus one
     * is a SERVFAIL with the reason in the additional section.
     *
     * @param resolver the (recursive or authoritative) server to ask
     * @param timeout  how long to wait for each query
     * @return a new resolver
     */
    public ValidatingResolver validator(InetSocketAddress resolver, Duration timeout) {
        SimpleResolver head = new SimpleResolver(resolver);
        head.setTimeout(timeout);
        ValidatingResolver validator = new ValidatingResolver(head);
        validator.setTimeout(timeout);
        anchors.forEach(set -> validator.getTrustAnchors().store(set));
        validator.setAddReasonToAdditional(true);
        return validator;
    }

    /** @return the anchors for a person, e.g. {@code ". DS 20326, . DS 38696"} */
    @Override
    public String toString() {
        return summary;
    }
}
