package dev.smtpprobe.netty.transport;

import io.netty.channel.EventLoopGroup;

/** The SPI contract on Java NIO: what every platform without the native library runs. */
class NioTransportTest extends NettyContract {

    @Override
    EventLoopGroup newGroup() {
        return NettyLines.nio(2, "nio-test");
    }
}
