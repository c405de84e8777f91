package dev.smtpprobe.netty.verdicts;

/** {@link GreetingVerdictsTest} with every connection on Netty's event loops (not the JDK-socket path {@code run()} takes). */
class GreetingVerdictsOnEventLoopsTest extends GreetingVerdictsTest {

    @Override
    boolean onEventLoops() {
        return true;
    }
}
