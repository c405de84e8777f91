package dev.smtpprobe.netty.transport;

import dev.smtpprobe.netty.NettyTransport;
import dev.smtpprobe.spi.PipeHandler;
import dev.smtpprobe.spi.PipeRequest;
import dev.smtpprobe.spi.Transport;
import dev.smtpprobe.transport.testkit.TransportContract;

/**
 * The public transport contract on the JDK-socket path of the shared default transport
 * ({@link NettyTransport#runPipeOnCallingThread}): each pipe runs on a thread of the test's own, which plays the
 * waiting caller.
 */
class PipeContractOnSocketsTest extends TransportContract {

    @Override
    protected Transport newTransport() {
        return new NettyTransport();
    }

    @Override
    protected void open(PipeRequest request, PipeHandler handler) {
        Thread caller = new Thread(() -> transport().runPipeOnCallingThread(request, handler), "waiting-caller");
        caller.setDaemon(true);
        caller.start();
    }
}
