package dev.smtpprobe.internal.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.Function;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Where to fetch an MTA-STS policy from: the policy host's first address as the probe's resolver gives it (A, then
 * AAAA), at the HTTPS port. A host without an address gives an unresolved address, which the fetcher reports as a
 * fetch error. Immutable and threadsafe.
 */
final class PolicyHostRoute implements Function<String, InetSocketAddress> {

    private final InetSocketAddress resolver;
    private final Duration timeout;
    private final int port;

    PolicyHostRoute(InetSocketAddress resolver, Duration timeout, int port) {
        this.resolver = resolver;
        this.timeout = timeout;
        this.port = port;
    }

    @Override
    public InetSocketAddress apply(String host) {
        for (int type : new int[] {Type.A, Type.AAAA}) {
            InetAddress address = first(host, type);
            if (address != null) {
                return new InetSocketAddress(address, port);
            }
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    private InetAddress first(String host, int type) {
        SimpleResolver simple = new SimpleResolver(resolver);
        simple.setTimeout(timeout);
        Message response;
        try {
            Name name = Name.fromString(host, Name.root);
            response = simple.send(Message.newQuery(Record.newRecord(name, type, DClass.IN)));
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a DNS name: " + host, e);
        } catch (IOException e) {
            throw new IllegalStateException("no answer from the resolver for " + host + ": " + e.getMessage(), e);
        }
        if (response.getRcode() != Rcode.NOERROR) {
            return null;
        }
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof ARecord a) {
                return a.getAddress();
            }
            if (r instanceof AAAARecord aaaa) {
                return aaaa.getAddress();
            }
        }
        return null;
    }
}
