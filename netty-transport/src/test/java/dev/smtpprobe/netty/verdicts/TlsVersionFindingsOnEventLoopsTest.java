package dev.smtpprobe.netty.verdicts;

/** {@link TlsVersionFindingsTest} with every connection on Netty's event loops. */
class TlsVersionFindingsOnEventLoopsTest extends TlsVersionFindingsTest {

    @Override
    boolean onEventLoops() {
        return true;
    }
}
