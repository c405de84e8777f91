package dev.smtpprobe.netty.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/** The SPI contract on Java NIO: what every platform without the native library runs. */
class NioTransportTest extends NettyContract {

    @Override
    EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("nio-test", true),
                NioIoHandler.newFactory());
    }
}
