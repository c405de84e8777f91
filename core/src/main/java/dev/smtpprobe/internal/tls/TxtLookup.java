package dev.smtpprobe.internal.tls;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Reads the TXT records of a name. Each record is returned as one string: its character-strings concatenated, as
 * RFC 8461 §3.1 and RFC 8460 §3 require. A name without TXT records (NXDOMAIN or NODATA) gives an empty list; a
 * lookup that got no answer throws.
 */
@FunctionalInterface
public interface TxtLookup {

    /** The lookup got no usable answer (timeout, SERVFAIL, REFUSED, unreachable resolver). */
    final class TxtLookupException extends Exception {
        private static final long serialVersionUID = 1L;

        public TxtLookupException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param name an absolute DNS name, with or without the trailing dot
     * @return every TXT record of the name, each one concatenated; empty when the name has none
     * @throws TxtLookupException when the lookup got no answer
     */
    List<String> txt(String name) throws TxtLookupException;

    /**
     * A lookup that asks one resolver with dnsjava (UDP, TCP on truncation), each query bounded by {@code timeout}.
     *
     * @throws IllegalArgumentException when {@code resolver} is null or {@code timeout} is not positive
     */
    static TxtLookup using(InetSocketAddress resolver, Duration timeout) {
        if (resolver == null) {
            throw new IllegalArgumentException("resolver must not be null");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return name -> {
            SimpleResolver simple = new SimpleResolver(resolver);
            simple.setTimeout(timeout);
            Name qname;
            try {
                qname = Name.fromString(name, Name.root);
            } catch (TextParseException e) {
                throw new IllegalArgumentException("name is not a DNS name: " + name, e);
            }
            Message response;
            try {
                response = simple.send(Message.newQuery(Record.newRecord(qname, Type.TXT, DClass.IN)));
            } catch (IOException e) {
                throw new TxtLookupException("TXT " + qname + ": no answer from " + resolver + ": " + e, e);
            }
            int rcode = response.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return List.of();
            }
            if (rcode != Rcode.NOERROR) {
                throw new TxtLookupException("TXT " + qname + ": " + Rcode.string(rcode) + " from " + resolver, null);
            }
            List<String> records = new ArrayList<>();
            for (Record r : response.getSection(Section.ANSWER)) {
                if (r instanceof TXTRecord txt) {
                    records.add(String.join("", txt.getStrings()));
                }
            }
            return List.copyOf(records);
        };
    }
}
