package dev.smtpprobe.netty.verdicts;

/** {@link OkVerdictTest} with every connection on Netty's event loops (not the JDK-socket path {@code run()} takes). */
class OkVerdictOnEventLoopsTest extends OkVerdictTest {

    @Override
    boolean onEventLoops() {
        return true;
    }
}
