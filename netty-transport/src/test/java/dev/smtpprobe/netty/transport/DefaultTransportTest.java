package dev.smtpprobe.netty.transport;

import static dev.smtpprobe.netty.transport.LoopbackServer.readsEof;
import static dev.smtpprobe.netty.transport.LoopbackServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.smtpprobe.internal.connection.ConnectRequest;
import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The transports this module makes itself: the shared default group, a transport's own group, discovery. */
@ExtendWith(LeakCheck.class)
class DefaultTransportTest {

    static final Duration SHORT = Duration.ofMillis(300);

    static ConnectRequest request(InetSocketAddress remote) {
        return new ConnectRequest(remote, null, SHORT, null, Duration.ofSeconds(2));
    }

    @Test
    void theDefaultGroupHasNamedDaemonThreadsAndShutsDownOnRequest() throws Exception {
        NettyTransport transport = new NettyTransport();
        for (int round = 0; round < 2; round++) { // the second round runs on a group created anew
            try (LoopbackServer server = LoopbackServer.start(s -> {
                write(s, "220 mx.test\r\n");
                assertThat(readsEof(s)).isTrue();
            })) {
                RecordingDialogue dialogue = new RecordingDialogue()
                        .whenConnected(link -> link.expectReply(SHORT))
                        .whenReply((link, reply) -> link.close());
                Dialogues.open(transport, request(server.address()), dialogue);
                dialogue.awaitClosed();

                assertThat(dialogue.events).containsExactly("connected", "reply 220", "closed");
                Thread loop = dialogue.threads.get(0);
                assertThat(loop.isDaemon()).isTrue();
                assertThat(loop.getName()).startsWith("smtp-probe-netty-");
                assertThat(dev.smtpprobe.netty.internal.EventLoops.nativeEpoll()).as("NIO by default").isFalse();
                assertThat(dev.smtpprobe.netty.internal.EventLoops.socketChannelFor(
                        dev.smtpprobe.netty.internal.EventLoops.shared()))
                        .isEqualTo(io.netty.channel.socket.nio.NioSocketChannel.class);
                transport.close(); // does not stop the shared group...
                assertThat(loop.isAlive()).isTrue();
                assertThat(NettyTransport.shutdownDefault()).isTrue(); // ...this does
                loop.join(1_000);
                assertThat(loop.isAlive()).isFalse();
                transport = new NettyTransport();
            }
        }
        assertThat(NettyTransport.shutdownDefault()).isTrue();
    }

    @Test
    void closingTheTransportClosesItsConnections() throws Exception {
        try (LoopbackServer server = LoopbackServer.start(s -> assertThat(readsEof(s)).isTrue())) {
            NettyTransport own = NettyTransport.withOwnThreads(1);
            RecordingDialogue dialogue = new RecordingDialogue();
            Dialogues.open(own, request(server.address()), dialogue);
            for (int i = 0; i < 100 && dialogue.link == null; i++) {
                Thread.sleep(10);
            }
            assertThat(own.openConnections()).isEqualTo(1);
            own.close();
            own.close(); // idempotent
            dialogue.awaitClosed();

            assertThat(dialogue.events).containsExactly("connected", "closed");
            Thread loop = dialogue.threads.get(0);
            loop.join(1_000);
            assertThat(loop.isAlive()).as("the transport's own thread ended").isFalse();
            assertThatThrownBy(() -> Dialogues.open(own, request(server.address()), new RecordingDialogue()))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(server.awaitScript()).isEmpty();
        }
    }

    @Test
    void aGroupThatWasShutDownEndsTheDialogueWithAFailureInsteadOfThrowing() throws Exception {
        io.netty.channel.EventLoopGroup group = NettyLines.nio(1, "dead-test");
        group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS).await(2_000);
        NettyTransport onDeadGroup = new NettyTransport(group);
        RecordingDialogue dialogue = new RecordingDialogue();
        Dialogues.open(onDeadGroup, request(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)), dialogue);
        dialogue.awaitClosed();

        assertThat(dialogue.events).hasSize(2).endsWith("closed");
        assertThat(dialogue.failure()).isInstanceOfSatisfying(dev.smtpprobe.spi.TransportException.class,
                        e -> assertThat(e.connecting()).isTrue())
                .hasCauseInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    }

    @Test
    void badArgumentsFailFast() {
        assertThatThrownBy(() -> NettyTransport.withOwnThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads");
        io.netty.channel.EventLoopGroup notNio = NettyLines.local(1);
        try {
            assertThatThrownBy(() -> new NettyTransport(notNio))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("group");
        } finally {
            notNio.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void serviceLoaderFindsTheTransport() {
        assertThat(ServiceLoader.load(Transport.class).stream().map(ServiceLoader.Provider::type))
                .contains(NettyTransport.class);
    }
}
