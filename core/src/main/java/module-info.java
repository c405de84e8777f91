/**
 * smtp-probe core: the public model ({@code dev.smtpprobe}) and the Transport SPI ({@code dev.smtpprobe.spi}).
 * Everything under {@code dev.smtpprobe.internal} is an implementation detail.
 */
module dev.smtpprobe {
    requires org.slf4j;
    requires org.dnsjava;
    // LdapName reads the CN of a certificate subject for the RFC 6125 host name check (a JDK module).
    requires java.naming;
    // JSpecify nullness annotations on the API: for compilers and tools only (readable by users' modules).
    requires static transitive org.jspecify;

    exports dev.smtpprobe;
    exports dev.smtpprobe.spi;

    uses dev.smtpprobe.spi.Transport;
}
