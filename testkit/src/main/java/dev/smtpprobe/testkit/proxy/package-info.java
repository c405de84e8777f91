/**
 * A proxy for tests: {@link dev.smtpprobe.testkit.proxy.MockProxyServer}, a real SOCKS5, SOCKS4a or HTTP CONNECT
 * server on loopback that relays to a target (typically a {@code MockSmtpServer}) or answers as scripted with
 * {@link dev.smtpprobe.testkit.proxy.ProxyAnswer}, and records each {@link dev.smtpprobe.testkit.proxy.ProxyRequest}.
 */
package dev.smtpprobe.testkit.proxy;
