package dev.smtpprobe.netty.transport;

import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.Transport;
import dev.smtpprobe.transport.testkit.TransportContract;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/** The public transport contract on Netty's event loops with Java NIO, with no ByteBuf leaked. */
@ExtendWith(LeakCheck.class)
class PipeContractOnNioTest extends TransportContract {

    private EventLoopGroup group;

    /** A new group of the I/O kind under test; the test shuts it down. */
    EventLoopGroup newGroup() {
        return NettyLines.nio(2, "nio-pipe-test");
    }

    @Override
    protected Transport newTransport() {
        group = newGroup();
        return new NettyTransport(group);
    }

    @Override
    protected void stopTransport(Transport transport) {
        transport.close();
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
}
