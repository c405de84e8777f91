package dev.smtpprobe.internal.tls;

import dev.smtpprobe.internal.Texts;
import dev.smtpprobe.internal.tls.TlsaAnswer.DnssecTrust;
import dev.smtpprobe.internal.tls.TlsaAnswer.Status;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TLSARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Looks up the TLSA records of an SMTP server ({@code _<port>._tcp.<mx-host>}, RFC 7672 §2.2) at one resolver and
 * classifies the answer by DNSSEC. With {@link DnssecTrust#RESOLVER_AD_BIT} the query asks for DNSSEC (EDNS DO and
 * the AD flag, RFC 6840 §5.7) and trusts the resolver's AD flag; that is sound only for a validating resolver the
 * caller trusts over a trusted path (a local one), which is why the caller must say so explicitly.
 *
 * <pre>{@code
 * TlsaLookup lookup = TlsaLookup.of(new InetSocketAddress("127.0.0.1", 53), true, Duration.ofSeconds(5));
 * TlsaAnswer answer = lookup.lookup("mx.example.net", 25).toCompletableFuture().join();
 * }</pre>
 *
 * <p>The returned stage never completes exceptionally: a DNS problem is a {@link Status#FAILED} answer. This class
 * is immutable and threadsafe.
 */
public final class TlsaLookup {

    private static final int EDNS_PAYLOAD = 1232;
    private static final int MAX_ERROR = 256;

    private final InetSocketAddress resolver;
    private final DnssecTrust trust;
    private final Duration timeout;
    private final DnssecAnchors anchors;

    private TlsaLookup(InetSocketAddress resolver, DnssecTrust trust, Duration timeout, DnssecAnchors anchors) {
        this.resolver = resolver;
        this.trust = trust;
        this.timeout = timeout;
        this.anchors = anchors;
    }

    /**
     * A lookup at {@code resolver}.
     *
     * @param resolver          the resolver to ask (UDP, TCP when the answer is truncated)
     * @param resolverValidates whether the caller declares the resolver DNSSEC-validating, so that its AD flag
     *                          authenticates answers ({@link DnssecTrust#RESOLVER_AD_BIT}); when false no answer is
     *                          authenticated ({@link DnssecTrust#NONE})
     * @param timeout           how long to wait for each query, positive
     * @throws IllegalArgumentException naming the argument when {@code resolver} is null or unresolved, or
     *                                  {@code timeout} is null, zero or negative
     */
    public static TlsaLookup of(InetSocketAddress resolver, boolean resolverValidates, Duration timeout) {
        if (resolver == null || resolver.isUnresolved()) {
            throw new IllegalArgumentException("resolver must be a resolved socket address: " + resolver);
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new TlsaLookup(resolver, resolverValidates ? DnssecTrust.RESOLVER_AD_BIT : DnssecTrust.NONE, timeout,
                null);
    }

    /**
     * A lookup that validates DNSSEC itself ({@link DnssecTrust#LOCAL_VALIDATION}) from {@code anchors}, asking
     * {@code resolver} only for the records (see {@link LocalValidation}).
     *
     * @throws IllegalArgumentException naming the argument when {@code resolver} is null or unresolved,
     *                                  {@code anchors} is null, or {@code timeout} is null, zero or negative
     */
    public static TlsaLookup validating(InetSocketAddress resolver, DnssecAnchors anchors, Duration timeout) {
        TlsaLookup checked = of(resolver, false, timeout);
        if (anchors == null) {
            throw new IllegalArgumentException("anchors must not be null");
        }
        return new TlsaLookup(checked.resolver, DnssecTrust.LOCAL_VALIDATION, timeout, anchors);
    }

    /** @return how this lookup authenticates answers */
    public DnssecTrust trust() {
        return trust;
    }

    /**
     * Asks for the TLSA records of {@code _<port>._tcp.<mxHost>}.
     *
     * @param mxHost the MX host name (the TLSA base domain: after CNAME expansion, RFC 7672 §2.2.3)
     * @param port   the SMTP port, 1..65535 (25 for MX delivery)
     * @return the answer; never completes exceptionally
     * @throws IllegalArgumentException naming the argument when {@code mxHost} is not a DNS name or {@code port}
     *                                  is out of range
     */
    public CompletionStage<TlsaAnswer> lookup(String mxHost, int port) {
        if (port < 1 || port > 0xffff) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        Name qname = queryName(mxHost, port);
        String shown = qname.toString(true);
        Message query = Message.newQuery(Record.newRecord(qname, Type.TLSA, DClass.IN));
        if (trust == DnssecTrust.LOCAL_VALIDATION) {
            return LocalValidation.query(anchors, resolver, timeout, query).handle((response, error) -> {
                if (error != null) {
                    return answer(shown, Status.FAILED, List.of(), "no answer from " + where() + ": "
                            + describe(error));
                }
                if (response.getRcode() != Rcode.SERVFAIL) {
                    return classify(shown, response);
                }
                return LocalValidation.reason(response)
                        .map(why -> answer(shown, Status.BOGUS, List.of(), "DNSSEC validation from the trust anchors ("
                                + anchors + ") failed: " + why))
                        .orElseGet(() -> answer(shown, Status.FAILED, List.of(), where() + " answered SERVFAIL"));
            });
        }
        SimpleResolver simple = new SimpleResolver(resolver);
        simple.setTimeout(timeout);
        if (trust == DnssecTrust.RESOLVER_AD_BIT) {
            query.getHeader().setFlag(Flags.AD);
            simple.setEDNS(0, EDNS_PAYLOAD, ExtendedFlags.DO, List.of());
        }
        return simple.sendAsync(query).handle((response, error) -> {
            if (error != null) {
                return answer(shown, Status.FAILED, List.of(), "no answer from " + where() + ": " + describe(error));
            }
            return classify(shown, response);
        });
    }

    private static Name queryName(String mxHost, int port) {
        if (mxHost == null || mxHost.isBlank()) {
            throw new IllegalArgumentException("mxHost must not be blank");
        }
        try {
            Name host = Name.fromString(mxHost.strip(), Name.root);
            return Name.concatenate(Name.fromString("_" + port + "._tcp"), host);
        } catch (TextParseException | org.xbill.DNS.NameTooLongException e) {
            throw new IllegalArgumentException("mxHost is not a DNS name: " + mxHost, e);
        }
    }

    private TlsaAnswer classify(String shown, Message response) {
        int rcode = response.getRcode();
        boolean ad = trust != DnssecTrust.NONE && response.getHeader().getFlag(Flags.AD);
        if (rcode == Rcode.SERVFAIL) {
            return trust == DnssecTrust.RESOLVER_AD_BIT
                    ? answer(shown, Status.BOGUS, List.of(), "the validating resolver " + where()
                            + " answered SERVFAIL: the DNSSEC data is bogus or cannot be validated")
                    : answer(shown, Status.FAILED, List.of(), where() + " answered SERVFAIL");
        }
        if (rcode != Rcode.NOERROR && rcode != Rcode.NXDOMAIN) {
            return answer(shown, Status.FAILED, List.of(), where() + " answered " + Rcode.string(rcode));
        }
        List<Tlsa> records = new ArrayList<>();
        int malformed = 0;
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TLSARecord t) {
                byte[] data = t.getCertificateAssociationData();
                if (data == null || data.length == 0) {
                    malformed++;
                } else {
                    records.add(Tlsa.of(t.getCertificateUsage(), t.getSelector(), t.getMatchingType(), data));
                }
            }
        }
        String found = records.isEmpty()
                ? (rcode == Rcode.NXDOMAIN ? "NXDOMAIN" : "no TLSA records")
                : records.size() + (records.size() == 1 ? " TLSA record" : " TLSA records");
        if (malformed > 0) {
            found += " (" + malformed + " without association data ignored)";
        }
        if (!ad) {
            String why = switch (trust) {
                case NONE -> "DNSSEC is not checked (the resolver is not declared validating)";
                case LOCAL_VALIDATION -> "DNSSEC validation says insecure (the zone is unsigned or outside the trust"
                        + " anchors)";
                default -> "the answer is not DNSSEC-authenticated (no AD flag)";
            };
            return answer(shown, Status.NOT_AUTHENTICATED, records, found + "; " + why + ": DANE does not apply");
        }
        if (records.isEmpty()) {
            return answer(shown, Status.AUTHENTICATED_DENIAL, records,
                    found + ", DNSSEC-authenticated: the host does not use DANE");
        }
        return answer(shown, Status.AUTHENTICATED, records, found + ", DNSSEC-authenticated by "
                + (trust == DnssecTrust.LOCAL_VALIDATION ? "local validation (via " + where() + ")" : where()));
    }

    private TlsaAnswer answer(String shown, Status status, List<Tlsa> records, String detail) {
        return new TlsaAnswer(shown, status, records, trust, resolver, detail);
    }

    private String where() {
        return resolver.getAddress().getHostAddress() + ":" + resolver.getPort();
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName()
                + (message == null ? "" : " (" + Texts.printable(message, MAX_ERROR) + ")");
    }
}
