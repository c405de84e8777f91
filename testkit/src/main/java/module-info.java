/**
 * smtp-probe testkit: a scripted SMTP server ({@code MockSmtpServer}), certificates made at run time, an
 * authoritative test DNS server and a SOCKS5/SOCKS4a/HTTP CONNECT proxy ({@code MockProxyServer}), for tests and
 * the CLI's demo. Independent of smtp-probe-core.
 */
module dev.smtpprobe.testkit {
    requires io.netty.pkitesting;
    // transitive: MockDnsServer.records(Record...) takes dnsjava records (signed test zones).
    requires transitive org.dnsjava;

    exports dev.smtpprobe.testkit;
    exports dev.smtpprobe.testkit.dns;
    exports dev.smtpprobe.testkit.proxy;
}
