package dev.smtpprobe.internal.dns;

import dev.smtpprobe.DnsLookup;
import dev.smtpprobe.DnsRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A resolver that asks one server and writes down every exchange (question, response code, answers, time) into a
 * {@link QueryLog}: the evidence a result carries. It also bounds each query with a precise timer, because
 * dnsjava checks its own timeouts only about once a second.
 */
final class RecordingResolver implements Resolver {

    private final Resolver delegate;
    private final String label;
    private final Duration timeout;
    private final QueryLog log;

    RecordingResolver(Resolver delegate, String label, Duration timeout, QueryLog log) {
        this.delegate = delegate;
        this.label = label;
        this.timeout = timeout;
        this.log = log;
        delegate.setTimeout(timeout);
    }

    String label() {
        return label;
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        return sendAsync(query, ForkJoinPool.commonPool());
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query, Executor executor) {
        long started = log.now();
        CompletableFuture<Message> sent;
        try {
            // copy(): our timer must not complete dnsjava's own future.
            sent = delegate.sendAsync(query, executor).toCompletableFuture().copy();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .whenComplete((response, error) -> log.add(started, exchange(query, response, error, started)));
    }

    private DnsLookup exchange(Message query, Message response, Throwable error, long started) {
        Record q = query.getQuestion();
        String name = DnsNames.text(q.getName());
        String type = Type.string(q.getType());
        Duration elapsed = Duration.ofNanos(log.now() - started);
        if (error != null) {
            Failures.Failure f = Failures.classify(error, timeout);
            return new DnsLookup(name, type, label, f.outcome(), List.of(), f.detail(), log.since(started), elapsed);
        }
        List<DnsRecord> answers = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            answers.add(toDnsRecord(r, label));
        }
        DnsLookup.Outcome outcome;
        String detail = "";
        switch (response.getRcode()) {
            case Rcode.NOERROR -> outcome = answers.isEmpty() ? DnsLookup.Outcome.NO_DATA : DnsLookup.Outcome.ANSWER;
            case Rcode.NXDOMAIN -> outcome = DnsLookup.Outcome.NO_SUCH_DOMAIN;
            case Rcode.SERVFAIL -> outcome = DnsLookup.Outcome.SERVER_FAILURE;
            case Rcode.REFUSED -> outcome = DnsLookup.Outcome.REFUSED;
            default -> {
                outcome = DnsLookup.Outcome.ERROR;
                detail = "response code " + Rcode.string(response.getRcode());
            }
        }
        return new DnsLookup(name, type, label, outcome, answers, detail, log.since(started), elapsed);
    }

    static DnsRecord toDnsRecord(Record r, String resolver) {
        String value;
        if (r instanceof MXRecord mx) {
            value = mx.getPriority() + " " + DnsNames.text(mx.getTarget());
        } else if (r instanceof ARecord a) {
            value = a.getAddress().getHostAddress();
        } else if (r instanceof AAAARecord aaaa) {
            value = aaaa.getAddress().getHostAddress();
        } else if (r instanceof CNAMERecord cname) {
            value = DnsNames.text(cname.getTarget());
        } else {
            value = r.rdataToString();
        }
        return new DnsRecord(DnsNames.text(r.getName()), Type.string(r.getType()), r.getTTL(), value, resolver);
    }

    // ---- configuration: passed through -------------------------------------------------------------------------

    @Override
    public void setPort(int port) {
        delegate.setPort(port);
    }

    @Override
    public void setTCP(boolean flag) {
        delegate.setTCP(flag);
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
        delegate.setIgnoreTruncation(flag);
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
        delegate.setEDNS(version, payloadSize, flags, options);
    }

    @Override
    public void setTSIGKey(TSIG key) {
        delegate.setTSIGKey(key);
    }

    @Override
    public void setTimeout(Duration newTimeout) {
        delegate.setTimeout(newTimeout);
    }

    @Override
    public Duration getTimeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "RecordingResolver{" + label + "}";
    }
}
