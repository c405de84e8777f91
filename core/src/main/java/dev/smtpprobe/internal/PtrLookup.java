package dev.smtpprobe.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The PTR name of an address, asked of the probe's resolver (the first one given, or the system's), one query
 * bounded by a timeout. Never fails: no answer, an error or the timeout give {@code null}.
 */
final class PtrLookup {

    private PtrLookup() {
    }

    /** The first PTR name of {@code address} without the trailing dot, or {@code null}. */
    static CompletableFuture<String> lookup(InetAddress address, List<InetSocketAddress> resolvers, Duration timeout) {
        CompletableFuture<String> ptr;
        try {
            Resolver resolver = resolvers.isEmpty() ? new ExtendedResolver() : new SimpleResolver(resolvers.get(0));
            resolver.setTimeout(timeout);
            Message query = Message.newQuery(Record.newRecord(ReverseMap.fromAddress(address), Type.PTR, DClass.IN));
            ptr = resolver.sendAsync(query).toCompletableFuture().thenApply(PtrLookup::firstName)
                    .exceptionally(e -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(null);
        }
        return ptr.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static String firstName(Message response) {
        if (response.getRcode() != Rcode.NOERROR) {
            return null;
        }
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof PTRRecord p) {
                String name = p.getTarget().toString(true);
                return Texts.printable(name, 253);
            }
        }
        return null;
    }
}
