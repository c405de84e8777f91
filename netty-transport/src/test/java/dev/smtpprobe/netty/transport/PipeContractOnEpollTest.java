package dev.smtpprobe.netty.transport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;

/** The public transport contract on native epoll; skipped where the library does not load. */
class PipeContractOnEpollTest extends PipeContractOnNioTest {

    @Override
    EventLoopGroup newGroup() {
        assumeTrue(Epoll.isAvailable(), () -> "native epoll unavailable: " + Epoll.unavailabilityCause());
        return NettyLines.epoll(2, "epoll-pipe-test");
    }
}
