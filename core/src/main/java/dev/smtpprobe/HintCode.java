package dev.smtpprobe;

/** The kinds of {@link Hint}. */
public enum HintCode {
    /** Loopback target, refused, inside a container: localhost is the container. */
    DOCKER_LOCALHOST,
    /** Port 25 timed out on a cloud VM (AWS, Azure, GCP) that blocks outbound 25 by default. */
    CLOUD_PORT_25_BLOCKED,
    /** A port sweep found 25 timing out while a submission port connects: an egress block. */
    PORT_25_BLOCKED,
    /** An implicit-TLS port was spoken to in plain text, or a STARTTLS port with implicit TLS. */
    TLS_MODE_FOR_PORT,
    /** Refused means something answered "no"; a timeout means silence. Says which one it was. */
    REJECT_VS_DROP,
    /** The target is this machine and refused: check the local mail daemon. */
    LOCAL_LISTENER,
    /** One address family failed while the other worked. */
    IPV6_PATH_BROKEN,
    /** TCP and SMTP worked; the failure is the credentials. */
    AUTH_NOT_NETWORK,
    /** The rejection text names a blocklist. */
    BLOCKLIST_IN_REPLY,
    /** The address the server saw differs from the local address: NAT is in the path. */
    NAT_IN_PATH,
    /** Across several targets: all fail (sender side) or some fail (those recipients). */
    SCOPE,
    /** Two resolvers gave different mail hosts or addresses: a stale cache may send mail to the wrong place. */
    RESOLVERS_DISAGREE,
    /**
     * The JVM's own resolution of the host ({@code InetAddress}, which the application uses) gives addresses the
     * probe's DNS did not, or fails where it succeeded, or the reverse: the application would connect elsewhere.
     */
    JVM_RESOLVES_DIFFERENTLY,
    /** The server's certificate is valid now but expires within the probe's certificate expiry warning. */
    CERTIFICATE_EXPIRES_SOON,
    /** The banner came only after a pause (a postscreen or tarpit delay): "slow banner: N s". */
    SLOW_BANNER,
    /** A 421 that names connection counts: likely our own concurrent probes of that address, not the server's policy. */
    OWN_CONCURRENCY,
    /** Greylisting deferred the first attempt and the retry after the server's delay was accepted. */
    GREYLISTED_THEN_ACCEPTED,
    /** The server negotiated a TLS version older than the probe's minimum ({@code minTlsVersion}, TLS 1.2). */
    TLS_VERSION_BELOW_MINIMUM,
    /**
     * The target name, the banner's and EHLO's host, the certificate's names and the connected address's PTR point
     * to a different operator: a hosting network redirecting port 25/587 to its own MTA, an SMTP proxy, or an
     * outsourced mail service. The evidence lists each name.
     */
    DIFFERENT_OPERATOR,
    /**
     * STARTTLS is missing where evidence in hand says the target offers it (a middlebox masked the keyword or the
     * banner, or another address or port of the same host offered STARTTLS or negotiated TLS): STARTTLS stripping.
     */
    STARTTLS_STRIPPED
}
