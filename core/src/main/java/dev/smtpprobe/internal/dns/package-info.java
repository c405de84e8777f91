/**
 * Name resolution like an MTA (RFC 5321 §5.1, RFC 7505) on dnsjava's asynchronous lookups: {@link
 * dev.smtpprobe.internal.dns.DnsResolver} turns a domain or host into a {@link dev.smtpprobe.Resolution} (mail
 * hosts in order, or a DNS verdict) and keeps every query and answer as evidence. Not part of the API.
 */
package dev.smtpprobe.internal.dns;
