/**
 * smtp-probe transport testkit: the {@link dev.smtpprobe.spi.Transport} contract as an abstract JUnit 5 suite
 * ({@code TransportContract}) that any transport's tests extend.
 */
module dev.smtpprobe.transport.testkit {
    requires transitive dev.smtpprobe;
    requires dev.smtpprobe.testkit;
    requires transitive org.junit.jupiter.api;

    exports dev.smtpprobe.transport.testkit;
    opens dev.smtpprobe.transport.testkit to org.junit.platform.commons;
}
