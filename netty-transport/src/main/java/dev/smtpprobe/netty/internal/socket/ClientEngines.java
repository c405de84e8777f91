package dev.smtpprobe.netty.internal.socket;

import dev.smtpprobe.spi.TlsParameters;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The client {@link SSLEngine} rules both TLS paths share (the event loops' {@code TlsHandlers} and the JDK-socket
 * path's {@link SocketTls}): client mode, no peer port, SNI for host names, optional RFC 6125 hostname verification
 * (endpoint identification "HTTPS"). Netty-free.
 *
 * <p><b>No peer port.</b> The JDK's client session cache files a session under host:port only when both are known,
 * and only a session filed there is offered for resumption. An engine made without a port therefore never resumes
 * one, however long its {@link SSLContext} is reused, so every handshake checks the server's certificate and
 * shows the chain (the evidence): a resumed session would skip the check. The port is not used for anything else
 * (SNI and hostname checks use the host), and no socket is involved, so nothing reads the missing port.
 */
public final class ClientEngines {

    /** The peer port every client engine is made with: none. */
    public static final int NO_PORT = -1;

    private ClientEngines() {
    }

    /** A client engine from {@code context} for {@code tls}, configured by {@link #configure}. */
    static SSLEngine newEngine(SSLContext context, TlsParameters tls) {
        return configure(context.createSSLEngine(tls.peerHost(), NO_PORT), tls);
    }

    /**
     * Configures a client engine made for {@code tls.peerHost()} and {@link #NO_PORT}: client mode, hostname
     * verification as asked (set both ways: Netty 4.2 turns it on by default for clients), SNI from
     * {@link Sni#name} or none, and the protocol versions {@link TlsParameters#protocols()} asks for (those the
     * engine supports) instead of the JDK's default client versions.
     *
     * @return {@code engine}
     */
    public static SSLEngine configure(SSLEngine engine, TlsParameters tls) {
        engine.setUseClientMode(true);
        SSLParameters params = engine.getSSLParameters();
        params.setEndpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        String sni = Sni.name(tls.peerHost());
        params.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
        String[] protocols = tls.protocolsAmong(engine.getSupportedProtocols());
        if (protocols.length > 0) { // the versions core asks for (old ones too, to report them), not the defaults
            params.setProtocols(protocols);
        }
        engine.setSSLParameters(params);
        return engine;
    }
}
