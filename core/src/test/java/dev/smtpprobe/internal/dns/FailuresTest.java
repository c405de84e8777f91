package dev.smtpprobe.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.DnsLookup.Outcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Type;
import org.xbill.DNS.WireParseException;
import org.xbill.DNS.lookup.LookupFailedException;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.RedirectLoopException;
import org.xbill.DNS.lookup.ServerFailedException;

/** Each exception dnsjava or the JDK raises maps to one outcome. */
class FailuresTest {

    private static Outcome outcome(Throwable t) {
        return Failures.classify(t, Duration.ofMillis(250)).outcome();
    }

    @Test
    void dnsAnswersAreNotFailures() {
        assertThat(outcome(new NoSuchDomainException(Name.root, Type.MX))).isEqualTo(Outcome.NO_SUCH_DOMAIN);
        assertThat(outcome(new NoSuchRRSetException(Name.root, Type.MX))).isEqualTo(Outcome.NO_DATA);
        assertThat(Outcome.NO_SUCH_DOMAIN.isFailure()).isFalse();
        assertThat(Outcome.NO_DATA.isFailure()).isFalse();
    }

    @Test
    void resolutionFailures() {
        assertThat(outcome(new CompletionException(new ServerFailedException(Name.root, Type.MX))))
                .isEqualTo(Outcome.SERVER_FAILURE);
        assertThat(outcome(new LookupFailedException("Unknown non-success error code REFUSED"))).isEqualTo(Outcome.REFUSED);
        assertThat(outcome(new LookupFailedException("Unknown non-success error code NOTIMP"))).isEqualTo(Outcome.ERROR);
        assertThat(outcome(new RedirectLoopException(8))).isEqualTo(Outcome.ERROR);
        assertThat(outcome(new WireParseException("bad"))).isEqualTo(Outcome.ERROR);
    }

    @Test
    void timeoutsAndUnreachableResolvers() {
        assertThat(outcome(new CompletionException(new TimeoutException()))).isEqualTo(Outcome.TIMEOUT);
        assertThat(outcome(new SocketTimeoutException("Query timed out"))).isEqualTo(Outcome.TIMEOUT);
        assertThat(outcome(new IOException("Timed out while trying to resolve x./A"))).isEqualTo(Outcome.TIMEOUT);
        assertThat(Failures.classify(new TimeoutException(), Duration.ofMillis(250)).detail())
                .isEqualTo("no answer within 250 ms");
        assertThat(outcome(new PortUnreachableException())).isEqualTo(Outcome.UNREACHABLE);
        assertThat(outcome(new ConnectException("Connection refused"))).isEqualTo(Outcome.UNREACHABLE);
        assertThat(outcome(new NoRouteToHostException())).isEqualTo(Outcome.UNREACHABLE);
        assertThat(Outcome.TIMEOUT.isFailure()).isTrue();
    }
}
