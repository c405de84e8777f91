package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.netty.internal.TlsHandlers;
import dev.smtpprobe.spi.TlsParameters;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TLS handler factory, without sockets (core's ConnectionTest has the timers and framing). */
@ExtendWith(LeakCheck.class)
class PipelineUnitsTest {

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
