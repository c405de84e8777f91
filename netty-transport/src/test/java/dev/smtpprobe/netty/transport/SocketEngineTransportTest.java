package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.ConnectRequest;
import dev.smtpprobe.spi.Dialogue;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The SPI contract on the JDK-socket path: what the shared default transport uses for a blocking caller
 * ({@code SmtpProbe.run()}), reached here through {@link NettyTransport#openForBlockingCaller}.
 */
class SocketEngineTransportTest extends TransportContract {

    private NettyTransport netty;

    @Override
    Transport startTransport() {
        netty = new NettyTransport();
        NettyTransport served = netty;
        return new Transport() {
            @Override
            public void open(ConnectRequest request, Dialogue dialogue) {
                served.openForBlockingCaller(request, dialogue);
            }
        };
    }

    @Override
    void stopTransport() {
        netty.close();
    }

    @Override
    int openConnections() {
        return netty.openConnections();
    }

    /** A blocking caller's connection is served by a socket thread of its own, never by an event loop. */
    @Test
    void servesABlockingCallerOnASocketThreadNotAnEventLoop() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(ss.getInetAddress(), ss.getLocalPort());
        }
        RecordingDialogue dialogue = new RecordingDialogue();
        transport.open(request(closed), dialogue);
        dialogue.awaitClosed();

        assertThat(dialogue.events).containsExactly("failure ConnectException", "closed");
        assertThat(dialogue.threads).isNotEmpty()
                .allSatisfy(t -> assertThat(t.getName()).startsWith("smtp-probe-socket-"));
    }
}
