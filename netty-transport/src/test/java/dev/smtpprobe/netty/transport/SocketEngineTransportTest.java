package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.internal.connection.Connection;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The SPI contract on the JDK-socket path: what the shared default transport does for a caller that blocks on its
 * probe ({@code SmtpProbe.run()}), through {@link NettyTransport#runPipeOnCallingThread}. The contract's tests open
 * and then wait, so each connection runs on a thread of the test's own, which plays the waiting caller.
 */
class SocketEngineTransportTest extends ConnectionContract {

    private NettyTransport netty;

    @Override
    Transport startTransport() {
        netty = new NettyTransport();
        NettyTransport served = netty;
        return new Transport() {
            @Override
            public void openPipe(PipeRequest request, PipeHandler handler) {
                Thread caller = new Thread(() -> served.runPipeOnCallingThread(request, handler), "waiting-caller");
                caller.setDaemon(true);
                caller.start();
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

    /** The connection runs where the caller waits: no event loop, no other thread, and it is over on return. */
    @Test
    void runsTheConnectionOnTheCallingThreadAndReturnsAfterItCloses() throws Exception {
        InetSocketAddress closed;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = new InetSocketAddress(ss.getInetAddress(), ss.getLocalPort());
        }
        RecordingDialogue dialogue = new RecordingDialogue();
        Connection connection = connection(request(closed), dialogue);
        netty.runPipeOnCallingThread(connection.pipeRequest(), connection);

        assertRefused(dialogue);
        assertThat(dialogue.threads).isNotEmpty().containsOnly(Thread.currentThread());
    }
}
