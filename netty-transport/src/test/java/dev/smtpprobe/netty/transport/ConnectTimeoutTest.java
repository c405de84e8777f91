package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.netty.NettyTransport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A connect timeout on loopback without firewall rules: a listening socket with backlog 1 that never accepts is
 * filled with connections until the kernel drops further SYNs (Linux drops a SYN while the accept queue is
 * full), so our connect gets no answer at all; on NIO and on epoll. Skipped, not failed, when the kernel does
 * not behave so.
 */
@ExtendWith(LeakCheck.class)
class ConnectTimeoutTest {

    @Test
    void aSynThatIsNeverAnsweredIsAConnectTimeout() throws Exception {
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket neverAccepts = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(neverAccepts.getInetAddress(),
                    neverAccepts.getLocalPort());
            boolean full = false;
            for (int i = 0; i < 8 && !full; i++) {
                Socket filler = new Socket();
                try {
                    filler.connect(address, 200);
                    fillers.add(filler);
                } catch (SocketTimeoutException dropped) {
                    filler.close();
                    full = true;
                }
            }
            assumeTrue(full, "the kernel kept answering SYNs on a full backlog; cannot provoke a connect timeout");

            List<EventLoopGroup> groups = new ArrayList<>(List.of(new NioTransportTest().newGroup()));
            if (Epoll.isAvailable()) {
                groups.add(new EpollTransportTest().newGroup());
            }
            for (EventLoopGroup group : groups) {
                try (NettyTransport transport = new NettyTransport(group)) {
                    RecordingDialogue dialogue = new RecordingDialogue();
                    long start = System.nanoTime();
                    Dialogues.open(transport, new ConnectRequest(address, null, Duration.ofMillis(200), null,
                            Duration.ofSeconds(2)), dialogue);
                    dialogue.awaitClosed();
                    long tookMillis = (dialogue.failedAtNanos - start) / 1_000_000;

                    assertThat(dialogue.events).containsExactly("failure CONNECT_TIMEOUT", "closed");
                    assertThat(dialogue.failure()).isExactlyInstanceOf(dev.smtpprobe.spi.TransportException.class)
                            .hasMessageContaining("timed out");
                    assertThat(dialogue.failure().getCause()).isExactlyInstanceOf(SocketTimeoutException.class)
                            .hasCauseInstanceOf(io.netty.channel.ConnectTimeoutException.class);
                    assertThat(tookMillis).as("at the 200 ms connect timeout").isBetween(190L, 2_000L);
                } finally {
                    group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
                }
            }
        } finally {
            for (Socket s : fillers) {
                close(s);
            }
        }
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // test cleanup
        }
    }
}
