package dev.smtpprobe;

/**
 * What a probe concluded: the failing layer, what it means, and the next action with its owner.
 *
 * <p>Every verdict is distinct: a refused connection, a silent drop, a missing banner, a TLS mismatch, a policy
 * rejection and a bad password are never merged. The names follow {@code DIAGNOSIS.md}.
 *
 * <pre>{@code
 * ProbeResult result = SmtpProbe.to("mx.example.net").port(587).run();
 * Verdict verdict = result.verdict();
 * System.out.println(verdict.layer() + ": " + verdict.meaning() + " -> " + verdict.nextAction());
 * }</pre>
 */
public enum Verdict {
    /** The path and the service work. */
    OK(Layer.NONE,
            "the path and the service work",
            "none; if mail still fails, read the transcript of the application's own session"),

    /** The domain does not exist (NXDOMAIN). */
    DNS_NO_SUCH_DOMAIN(Layer.DNS,
            "the domain does not exist (NXDOMAIN)",
            "fix the address or domain (sender)"),
    /** The domain has no reachable mail host: no MX and no A/AAAA, or an MX target without an address. */
    DNS_NO_MAIL_HOST(Layer.DNS,
            "the domain has no reachable mail host: no MX and no A/AAAA, or an MX target without an address",
            "the recipient's DNS owner must publish a mail host"),
    /** The domain explicitly accepts no mail (null MX, RFC 7505). */
    DNS_NULL_MX(Layer.DNS,
            "the domain explicitly accepts no mail (null MX, RFC 7505)",
            "stop sending to this domain"),
    /** Name resolution is broken (SERVFAIL, resolver timeout or resolver unreachable), not the mail path. */
    DNS_FAILURE(Layer.DNS,
            "name resolution is broken (SERVFAIL, resolver timeout or resolver unreachable), not the mail path",
            "check the resolver; compare with a second resolver"),

    /**
     * The connection was actively refused (TCP RST or ICMP port unreachable): nothing listens there, or a REJECT
     * firewall rule.
     */
    CONNECTION_REFUSED(Layer.TCP,
            "the connection was actively refused (TCP RST or ICMP port unreachable): nothing listens there, or a REJECT firewall rule",
            "is the mail daemon running and bound (ss -tlnp)? right host and port? a firewall REJECT rule?"),
    /**
     * The SYN went unanswered until the connect timeout: packets are silently dropped (DROP rule, ISP or cloud egress
     * block, upstream filter).
     */
    CONNECTION_TIMED_OUT(Layer.TCP,
            "the SYN went unanswered until the connect timeout: packets are silently dropped (DROP rule, ISP or cloud egress block, upstream filter)",
            "try 587 or 2525; check the egress policy and security groups; trace the route"),
    /**
     * A firewall or the path says the host is unreachable (EHOSTUNREACH, e.g. REJECT with icmp-host-prohibited, or no
     * ARP answer).
     */
    NO_ROUTE_TO_HOST(Layer.TCP,
            "a firewall or the path says the host is unreachable (EHOSTUNREACH, e.g. REJECT with icmp-host-prohibited, or no ARP answer)",
            "check firewall rules and routing near the target"),
    /** This host has no route to that network at all (ENETUNREACH), e.g. an IPv6 target without IPv6 connectivity. */
    NETWORK_UNREACHABLE(Layer.TCP,
            "this host has no route to that network at all (ENETUNREACH), e.g. an IPv6 target without IPv6 connectivity",
            "fix the sender's routing, or try the other address family"),
    /**
     * This host refused to let the connection leave: EACCES or EPERM at once on connect, before any packet left (a
     * {@code prohibit} route, a cgroup/eBPF connect hook as Kubernetes network policies use, a security module).
     * A {@code sourceAddress} that is not on this host ends here too: the connect fails on this host, by its
     * configuration, and the detail says so.
     */
    BLOCKED_LOCALLY(Layer.TCP,
            "this host's own policy or configuration forbids the connection (EACCES/EPERM at once on connect, before any packet left: a prohibit route, a cgroup/eBPF connect hook, a security module; or a source address not on this host)",
            "check this host's routes and policies (ip route get ADDR, network policies, SELinux/AppArmor) or the sourceAddress setting; not the network or the server"),
    /**
     * A configured SOCKS or HTTP proxy could not be used: it refused or dropped the connection to itself, did not
     * answer in time, failed in general, or answered as something other than a proxy of the configured type (the
     * detail names the proxy and quotes, escaped, what it sent). The mail server was never contacted through it.
     * What a proxy reports about the target is not this verdict: a SOCKS5 "connection refused" reply is
     * {@link #CONNECTION_REFUSED}, "host unreachable" {@link #NO_ROUTE_TO_HOST}, "TTL expired" or an HTTP 504
     * {@link #CONNECTION_TIMED_OUT}, each with the proxy named in the detail.
     */
    PROXY_UNREACHABLE(Layer.TCP,
            "the configured proxy failed (refused, timed out, unreachable, or not a proxy of the configured type): the mail server was never contacted",
            "check the proxy's address, port and type, and that it runs"),
    /** The proxy rejected its credentials, or asked for credentials none were configured for (SOCKS5, HTTP 407). */
    PROXY_AUTH_FAILED(Layer.TCP,
            "the proxy rejected the credentials, or requires credentials that were not configured",
            "fix the proxy username or password"),
    /** The proxy refused this destination by its own rules (SOCKS5 reply 0x02, SOCKS4 reply 91, HTTP 403). */
    PROXY_DENIED(Layer.TCP,
            "the proxy's policy forbids a connection to this mail server and port",
            "ask the proxy's admin to allow the host and port"),
    /** The connection was accepted, then closed or reset before a complete greeting. */
    CONNECTION_RESET(Layer.TCP,
            "the connection was accepted, then closed or reset before a complete greeting",
            "a proxy, TCP wrapper, rate limiter or TLS-only port may be dropping the client; compare with another source address or port"),

    /** TCP connected but no SMTP banner arrived within the greeting timeout. */
    GREETING_TIMEOUT(Layer.SMTP,
            "TCP connected but no SMTP banner arrived within the greeting timeout",
            "often an implicit-TLS port (465) spoken to in plain text, or a tarpit: probe in the other TLS mode"),
    /** The peer does not speak SMTP (HTTP, SSH, TLS records or binary data). */
    NOT_SMTP(Layer.SMTP,
            "the peer does not speak SMTP (HTTP, SSH, TLS records or binary data)",
            "fix the host or port"),

    /**
     * The TLS mode does not match the port: implicit TLS sent to a plain/STARTTLS port, or plain text sent to an
     * implicit-TLS port.
     */
    TLS_MODE_MISMATCH(Layer.TLS,
            "the TLS mode does not match the port: implicit TLS sent to a plain/STARTTLS port, or plain text sent to an implicit-TLS port",
            "switch the mode or the port: 587 = STARTTLS, 465 = implicit TLS (configuration)"),
    /** STARTTLS is required but the server does not advertise it, or refused it (454). */
    STARTTLS_UNAVAILABLE(Layer.TLS,
            "STARTTLS is required but the server does not advertise it, or refused it (454)",
            "the server admin must enable STARTTLS, or relax the requirement knowingly"),
    /** The TLS handshake failed: an alert, a protocol or cipher mismatch, or non-TLS bytes after STARTTLS. */
    TLS_HANDSHAKE_FAILED(Layer.TLS,
            "the TLS handshake failed: an alert, a protocol or cipher mismatch, or non-TLS bytes after STARTTLS",
            "compare the TLS protocols and ciphers offered by both sides with the server admin"),
    /**
     * The server's certificate is not acceptable: expired, not yet valid, untrusted chain or hostname mismatch (the
     * detail says which).
     */
    CERTIFICATE_INVALID(Layer.TLS,
            "the server's certificate is not acceptable: expired, not yet valid, untrusted chain or hostname mismatch (the detail says which)",
            "the server admin must renew or fix the certificate; never disable verification silently"),

    /** The server answered with a temporary 4xx rejection (busy, greylisting, rate limiting). */
    SMTP_TRANSIENT_REJECTION(Layer.SMTP,
            "the server answered with a temporary 4xx rejection (busy, greylisting, rate limiting)",
            "retry with backoff; check the sending volume"),
    /**
     * The server answered with a permanent 5xx rejection: past the network layer, a policy, reputation or blocklist
     * decision.
     */
    SMTP_PERMANENT_REJECTION(Layer.SMTP,
            "the server answered with a permanent 5xx rejection: past the network layer, a policy, reputation or blocklist decision",
            "read the policy reason; contact the recipient's postmaster with the transcript"),

    /** The server refuses credentials over plain text. */
    AUTH_REQUIRES_TLS(Layer.AUTH,
            "the server refuses credentials over plain text",
            "use STARTTLS (587) or implicit TLS (465)"),
    /** The server offers no authentication here, or no mechanism in common. */
    AUTH_UNAVAILABLE(Layer.AUTH,
            "the server offers no authentication here, or no mechanism in common",
            "use the submission port (587) with STARTTLS, where servers usually offer AUTH"),
    /** The connection works: the server rejected the credentials. */
    AUTH_FAILED(Layer.AUTH,
            "the connection works: the server rejected the credentials",
            "fix the username, password or application-specific password; this is not a network problem"),

    /**
     * The server broke the protocol: a malformed or oversized reply, a close mid-dialogue, or no reply in time after
     * the greeting.
     */
    PROTOCOL_ERROR(Layer.SMTP,
            "the server broke the protocol: a malformed or oversized reply, a close mid-dialogue, or no reply in time after the greeting",
            "report it to the server admin with the transcript"),

    /**
     * Not a network outcome: the probe or a plug-in {@link dev.smtpprobe.spi.Transport} failed (it threw, never
     * reported an event it owed, or missed the timer it was asked for). The detail names the transport class and
     * the failure. A probe ends with it by its deadline rather than hang or guess a network verdict.
     */
    INTERNAL_ERROR(Layer.INTERNAL,
            "the probe or a plug-in Transport failed; not a diagnosis of the network",
            "report a bug to the transport's author (the detail names the transport class and the failure)"),

    /**
     * The receiving domain requires authenticated TLS (MTA-STS {@code enforce}, or DNSSEC-valid DANE TLSA records)
     * and the MX host fails it; the detail begins with the RFC 8460 result type (e.g. {@code tlsa-invalid}). Only
     * under {@link TlsPolicy#DOMAIN}.
     */
    TLS_POLICY_FAILED(Layer.TLS,
            "the receiving domain requires authenticated TLS (MTA-STS enforce, or DNSSEC-valid DANE TLSA records) and the MX host fails it (the detail names the RFC 8460 result type); a strict sender would not deliver, even if an opportunistic one would",
            "the recipient domain's admin fixes the certificate, the TLSA records or the policy");

    private final Layer layer;
    private final String meaning;
    private final String nextAction;

    Verdict(Layer layer, String meaning, String nextAction) {
        this.layer = layer;
        this.meaning = meaning;
        this.nextAction = nextAction;
    }

    /** {@return the layer at which the probe ended} */
    public Layer layer() {
        return layer;
    }

    /** {@return what was seen and what it means, in one sentence} */
    public String meaning() {
        return meaning;
    }

    /** {@return what to do next and who owns it} */
    public String nextAction() {
        return nextAction;
    }

    /** {@return whether this is {@link #OK}} */
    public boolean isOk() {
        return this == OK;
    }

    /** {@return whether the failure is temporary by nature, so that retrying later may succeed} */
    public boolean isTransient() {
        return this == SMTP_TRANSIENT_REJECTION || this == DNS_FAILURE || this == CONNECTION_TIMED_OUT;
    }
}
