package dev.smtpprobe.netty.transport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;

/**
 * The SPI contract on native epoll (the test class path has the linux-x86_64 library): here socket errors arrive
 * as epoll's own exceptions and texts. Skipped where the library does not load.
 */
class EpollTransportTest extends NettyContract {

    @Override
    EventLoopGroup newGroup() {
        assumeTrue(Epoll.isAvailable(), () -> "native epoll unavailable: " + Epoll.unavailabilityCause());
        return NettyLines.epoll(2, "epoll-test");
    }
}
