package dev.smtpprobe.internal.dns;

import dev.smtpprobe.DnsLookup.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.lookup.InvalidZoneDataException;
import org.xbill.DNS.lookup.LookupFailedException;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectLoopException;
import org.xbill.DNS.lookup.RedirectOverflowException;
import org.xbill.DNS.lookup.ServerFailedException;

/** Maps what dnsjava and the JDK throw to a DNS outcome, most specific type first. */
final class Failures {

    /** An outcome and the words for it. */
    record Failure(Outcome outcome, String detail) {
    }

    private Failures() {
    }

    static Failure classify(Throwable error, Duration timeout) {
        Throwable e = unwrap(error);
        if (e instanceof NoSuchDomainException) {
            return new Failure(Outcome.NO_SUCH_DOMAIN, "");
        }
        if (e instanceof NoSuchRRSetException) {
            return new Failure(Outcome.NO_DATA, "");
        }
        if (e instanceof ServerFailedException) {
            return new Failure(Outcome.SERVER_FAILURE, "");
        }
        if (e instanceof RedirectLoopException) {
            return new Failure(Outcome.ERROR, "CNAME loop");
        }
        if (e instanceof RedirectOverflowException) {
            return new Failure(Outcome.ERROR, "CNAME chain too long");
        }
        if (e instanceof InvalidZoneDataException) {
            return new Failure(Outcome.ERROR, "invalid zone data: " + e.getMessage());
        }
        if (e instanceof LookupFailedException) {
            // dnsjava reports other response codes only in the message ("Unknown non-success error code REFUSED").
            String m = String.valueOf(e.getMessage());
            if (m.contains(Rcode.string(Rcode.REFUSED))) {
                return new Failure(Outcome.REFUSED, "");
            }
            return new Failure(Outcome.ERROR, message(e));
        }
        if (e instanceof TimeoutException || e instanceof SocketTimeoutException
                || (e instanceof IOException && String.valueOf(e.getMessage()).startsWith("Timed out"))) {
            return new Failure(Outcome.TIMEOUT, "no answer within " + timeout.toMillis() + " ms");
        }
        if (e instanceof PortUnreachableException) {
            return new Failure(Outcome.UNREACHABLE, "ICMP port unreachable: nothing listens on the resolver's port");
        }
        if (e instanceof NoRouteToHostException) {
            return new Failure(Outcome.UNREACHABLE, "no route to the resolver");
        }
        if (e instanceof ConnectException) {
            return new Failure(Outcome.UNREACHABLE, "connection to the resolver failed: " + message(e));
        }
        if (e instanceof WireParseException) {
            return new Failure(Outcome.ERROR, "malformed answer: " + message(e));
        }
        if (e instanceof SocketException) {
            return new Failure(Outcome.UNREACHABLE, message(e));
        }
        return new Failure(Outcome.ERROR, message(e));
    }

    static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + m;
    }
}
