/**
 * smtp-probe testkit: a scripted SMTP server ({@code MockSmtpServer}), certificates made at run time and an
 * authoritative test DNS server, for tests and the CLI's demo. Independent of smtp-probe-core.
 */
module dev.smtpprobe.testkit {
    requires io.netty.pkitesting;
    requires org.dnsjava;

    exports dev.smtpprobe.testkit;
    exports dev.smtpprobe.testkit.dns;
}
