package dev.smtpprobe.netty.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.Transport;
import dev.smtpprobe.testkit.MockSmtpServer;
import dev.smtpprobe.testkit.Script;
import io.netty.channel.EventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The SPI contract on Netty's event loops, for one I/O kind, plus what only event loops have. */
abstract class NettyContract extends ConnectionContract {

    private EventLoopGroup group;
    private NettyTransport netty;

    /** A new group of the I/O kind under test (daemon threads, two of them); the test shuts it down. */
    abstract EventLoopGroup newGroup();

    @Override
    Transport startTransport() {
        group = newGroup();
        netty = new NettyTransport(group);
        return netty;
    }

    @Override
    void stopTransport() {
        netty.close();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Override
    int openConnections() {
        return netty.openConnections();
    }

    /**
     * Connections take the group's event loops in turn, so a group of two threads carries twice the load of one.
     * (Asking the group for its I/O kind per connection once took a turn of its round robin, and every connection
     * landed on the same loop.)
     */
    @Test
    void spreadsConnectionsOverEveryEventLoopOfTheGroup() throws Exception {
        try (MockSmtpServer server = new MockSmtpServer().start(Script.greeting("220 mx.test ready"))) {
            Set<Thread> loops = new HashSet<>();
            for (int i = 0; i < 4; i++) {
                RecordingDialogue dialogue = new RecordingDialogue()
                        .whenConnected(link -> link.expectReply(Duration.ofSeconds(2)))
                        .whenReply((link, reply) -> link.close());
                open(request(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port())),
                        dialogue);
                dialogue.awaitClosed();
                assertThat(dialogue.events).containsExactly("connected", "reply 220", "closed");
                loops.add(dialogue.threads.get(0));
            }
            assertThat(loops).hasSize(2); // the group under test has two threads
        }
    }

}
