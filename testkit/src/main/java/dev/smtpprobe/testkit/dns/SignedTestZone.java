package dev.smtpprobe.testkit.dns;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;

/**
 * A DNSSEC-signed test zone made at test time: an ECDSA P-256 key (algorithm 13) used as KSK and ZSK, its DNSKEY
 * RRset self-signed, and records signed with it, published to a {@link MockDnsServer}. {@link #trustAnchor()} is
 * the DS of the key, to configure as the validator's trust anchor.
 */
public final class SignedTestZone {

    private static final long TTL = 300;

    private final Name apex;
    private final KeyPair keys;
    private final DNSKEYRecord dnskey;

    /**
     * A new zone with a freshly generated key.
     *
     * @param apex the zone's apex, e.g. {@code example.test}
     * @throws IllegalStateException when the JVM cannot make an ECDSA P-256 key
     */
    public SignedTestZone(String apex) {
        try {
            this.apex = Name.fromString(apex, Name.root);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            keys = generator.generateKeyPair();
            dnskey = new DNSKEYRecord(this.apex, DClass.IN, TTL, DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
                    DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256, keys.getPublic());
        } catch (GeneralSecurityException | TextParseException | DNSSEC.DNSSECException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@return the DS record of the zone's key in presentation format, for {@code dnssecTrustAnchors}} */
    public String trustAnchor() {
        return new DSRecord(apex, DClass.IN, TTL, DNSSEC.Digest.SHA256, dnskey).toString();
    }

    /**
     * Publishes the DNSKEY RRset and its signature.
     *
     * @param dns the server to publish to
     * @return this zone
     */
    public SignedTestZone publishKey(MockDnsServer dns) {
        dns.records(dnskey, sign(dnskey));
        return this;
    }

    /**
     * Publishes a TLSA record at {@code owner} with its signature.
     *
     * @param dns      the server to publish to
     * @param owner    the record's full name, e.g. {@code _25._tcp.mx.example.test}
     * @param usage    the certificate usage
     * @param selector the selector
     * @param type     the matching type
     * @param data     the certificate association data
     * @return this zone
     */
    public SignedTestZone signedTlsa(MockDnsServer dns, String owner, int usage, int selector, int type, byte[] data) {
        TLSARecord tlsa = tlsa(owner, usage, selector, type, data);
        dns.records(tlsa, sign(tlsa));
        return this;
    }

    /**
     * Publishes a TLSA record whose signature was made over other data (the first byte flipped): a bogus answer.
     *
     * @param dns      the server to publish to
     * @param owner    the record's full name
     * @param usage    the certificate usage
     * @param selector the selector
     * @param type     the matching type
     * @param data     the certificate association data served (not empty)
     * @return this zone
     */
    public SignedTestZone forgedTlsa(MockDnsServer dns, String owner, int usage, int selector, int type, byte[] data) {
        byte[] other = data.clone();
        other[0] ^= 1;
        dns.records(tlsa(owner, usage, selector, type, data), sign(tlsa(owner, usage, selector, type, other)));
        return this;
    }

    private TLSARecord tlsa(String owner, int usage, int selector, int type, byte[] data) {
        try {
            return new TLSARecord(Name.fromString(owner, Name.root), DClass.IN, TTL, usage, selector, type, data);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private RRSIGRecord sign(Record record) {
        Instant now = Instant.now();
        try {
            return DNSSEC.sign(new RRset(record), dnskey, keys.getPrivate(), now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(1)));
        } catch (DNSSEC.DNSSECException e) {
            throw new IllegalStateException(e);
        }
    }
}
