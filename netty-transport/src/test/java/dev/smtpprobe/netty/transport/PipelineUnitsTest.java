package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.netty.internal.ReplyTimer;
import dev.smtpprobe.netty.internal.TlsHandlers;
import dev.smtpprobe.spi.ReplyTimeoutException;
import dev.smtpprobe.spi.TlsParameters;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The timer handler on virtual time, and the TLS handler factory, without sockets. */
@ExtendWith(LeakCheck.class)
class PipelineUnitsTest {

    @Test
    void theReplyTimerFiresWithoutAReplyAndNotAfterOne() {
        ReplyTimer timer = new ReplyTimer(Duration.ofSeconds(60));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(timer);

        timer.arm(Duration.ofMillis(100));
        ch.advanceTimeBy(90, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        ch.writeInbound(SmtpReply.of(250, "ok")); // disarms
        assertThat(timer.isArmed()).isFalse();
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.checkException(); // nothing fired

        timer.arm(Duration.ofMillis(100));
        ch.advanceTimeBy(101, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThatThrownBy(ch::checkException).isInstanceOf(ReplyTimeoutException.class)
                .hasMessageContaining("100 ms");
        assertThat((SmtpReply) ch.readInbound()).isNotNull();
        ch.finishAndReleaseAll();
    }

    @Test
    void theLifetimeLimitFiresWhateverTheReplyTimerDoes() {
        ReplyTimer timer = new ReplyTimer(Duration.ofMillis(500));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(timer);
        for (int i = 0; i < 4; i++) { // a reply every 100 ms: the reply timer never fires
            timer.arm(Duration.ofMillis(200));
            ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
            ch.runScheduledPendingTasks();
            ch.writeInbound(SmtpReply.of(250, "ok"));
            ch.checkException();
        }
        timer.arm(Duration.ofMillis(200));
        ch.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThatThrownBy(ch::checkException).isInstanceOf(ReplyTimeoutException.class)
                .hasMessageContaining("maximum lifetime");
        ch.finishAndReleaseAll();
    }

    @Test
    void noTimerOutlivesTheChannel() {
        ReplyTimer timer = new ReplyTimer(Duration.ofSeconds(60));
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(timer);
        timer.arm(Duration.ofSeconds(5));
        assertThat(ch.runScheduledPendingTasks()).as("timers pending while open").isNotEqualTo(-1);
        ch.close();
        assertThat(ch.runScheduledPendingTasks()).as("no timer pending after close").isEqualTo(-1);
        timer.arm(Duration.ofSeconds(5)); // a late arm on a closed connection schedules nothing
        assertThat(ch.runScheduledPendingTasks()).isEqualTo(-1);
        ch.finishAndReleaseAll();
    }

    @Test
    void tlsHandlersSetSniHostnameVerificationAndTimeoutAndCacheContextsPerTrustManager() throws Exception {
        TlsHandlers handlers = new TlsHandlers();
        X509TrustManager trust = TestPki.clientTrust();

        SslHandler named = handlers.newHandler(ByteBufAllocator.DEFAULT,
                new TlsParameters("mx.example.net.", 25, trust, true, Duration.ofMillis(300)));
        SSLParameters params = named.engine().getSSLParameters();
        assertThat(named.engine().getUseClientMode()).isTrue();
        assertThat(params.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(params.getServerNames()).containsExactly(new SNIHostName("mx.example.net"));
        assertThat(named.engine().getPeerHost()).isEqualTo("mx.example.net.");
        assertThat(named.getHandshakeTimeoutMillis()).isEqualTo(300);

        SslHandler literal = handlers.newHandler(ByteBufAllocator.DEFAULT,
                new TlsParameters("127.0.0.1", 25, trust, false, Duration.ofMillis(300)));
        assertThat(literal.engine().getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
        assertThat(literal.engine().getSSLParameters().getServerNames()).isNullOrEmpty();
        assertThat(handlers.cachedContexts()).as("one trust manager, one context").isEqualTo(1);

        for (X509TrustManager other : List.of(TestPki.clientTrust(), TestPki.clientTrust(), TestPki.clientTrust())) {
            handlers.newHandler(ByteBufAllocator.DEFAULT, new TlsParameters("mx.example.net", 25, other, true,
                    Duration.ofMillis(300)));
        }
        assertThat(handlers.cachedContexts()).as("keyed by identity").isEqualTo(4);
        for (int i = 0; i < 40; i++) {
            handlers.newHandler(ByteBufAllocator.DEFAULT, new TlsParameters("mx.example.net", 25,
                    TestPki.clientTrust(), true, Duration.ofMillis(300)));
        }
        assertThat(handlers.cachedContexts()).as("bounded").isLessThanOrEqualTo(16);
    }
}
