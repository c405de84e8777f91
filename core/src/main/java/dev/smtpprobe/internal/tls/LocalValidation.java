package dev.smtpprobe.internal.tls;

import dev.smtpprobe.internal.Texts;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.ExtendedErrorCodeOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNSSEC validated on this host ({@code DnssecMode.VALIDATE}): a query sent through dnsjava's
 * {@link ValidatingResolver}, which fetches the RRSIG, DNSKEY and DS records it needs from the probe's resolver and
 * builds the chain of trust from the configured anchors (RFC 4035 §5). Its answer carries the AD flag when secure,
 * none when insecure, and is a SERVFAIL with the reason when bogus. Stateless.
 */
final class LocalValidation {

    /** A validation takes a few queries (the answer, DNSKEY, DS down from the anchor): bounded as a whole. */
    private static final int QUERIES_BOUND = 4;
    private static final int MAX_REASON = 300;

    private LocalValidation() {
    }

    /**
     * Sends {@code query} through a new validating resolver over {@code resolver}.
     *
     * @return the validated response; completes exceptionally when no answer came in time
     */
    static CompletionStage<Message> query(DnssecAnchors anchors, InetSocketAddress resolver, Duration timeout,
            Message query) {
        ValidatingResolver validator = anchors.validator(resolver, timeout);
        return validator.sendAsync(query).toCompletableFuture()
                .orTimeout(timeout.multipliedBy(QUERIES_BOUND).toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @return the reason the validating resolver gave for a failure, printable and bounded; empty when the failure
     *         is not its verdict (a SERVFAIL passed on from the resolver asked)
     */
    static Optional<String> reason(Message response) {
        int ede = extendedError(response);
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            if (r instanceof TXTRecord txt && r.getDClass() == ValidatingResolver.VALIDATION_REASON_QCLASS) {
                return Optional.of(Texts.printable(String.join("", txt.getStrings()), MAX_REASON)
                        + (ede < 0 ? "" : " (extended DNS error " + ede + ")"));
            }
        }
        return Optional.empty();
    }

    /** @return the first Extended DNS Error code (RFC 8914) of the response, or -1 */
    static int extendedError(Message response) {
        OPTRecord opt = response.getOPT();
        if (opt == null) {
            return -1;
        }
        for (EDNSOption option : opt.getOptions(EDNSOption.Code.EDNS_EXTENDED_ERROR)) {
            if (option instanceof ExtendedErrorCodeOption ede) {
                return ede.getErrorCode();
            }
        }
        return -1;
    }
}
