package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.CertificateInfo;
import dev.smtpprobe.Hint;
import dev.smtpprobe.HintCode;
import dev.smtpprobe.HostEnvironment;
import dev.smtpprobe.Layer;
import dev.smtpprobe.Phase;
import dev.smtpprobe.PolicyReason;
import dev.smtpprobe.SmtpReply;
import dev.smtpprobe.TlsMode;
import dev.smtpprobe.Verdict;
import dev.smtpprobe.internal.proxy.ProxyFailure;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Derives {@link Hint}s from a probe's attempts and the machine it ran on, the way the field guides reason. Each
 * hint states the facts it rests on as evidence; none presents a guess as a fact. Pure apart from the
 * {@link HostEnvironment} it is given.
 */
public final class Hints {

    /** An address literal in an EHLO greeting line: "Hello [198.51.100.24]", "at your service, [2001:db8::1]". */
    private static final Pattern BRACKETED_ADDRESS = Pattern.compile("\\[(?:IPv6:)?([0-9A-Fa-f:.]+)]");

    private Hints() {
    }

    /**
     * The hints for a probe that decided {@code verdict} from {@code attempts}, most relevant first.
     *
     * @param deciding the attempt whose verdict is the result's, or {@code null} when none was made
     */
    public static List<Hint> derive(Verdict verdict, Attempt deciding, List<Attempt> attempts, HostEnvironment env) {
        List<Hint> hints = new ArrayList<>();
        if (deciding != null) {
            // What a proxy reports (or its own failure) says nothing about this machine's listeners or firewalls.
            boolean proxied = throughProxy(deciding);
            if (!proxied) {
                dockerLocalhost(verdict, deciding, env).ifPresent(hints::add);
                localListener(verdict, deciding, env).ifPresent(hints::add);
            }
            cloudPort25(attempts, env).ifPresent(hints::add);
            if (!proxied) {
                rejectVsDrop(verdict, deciding).ifPresent(hints::add);
            }
            tlsModeForPort(verdict, deciding).ifPresent(hints::add);
            authIsNotTheNetwork(verdict, deciding).ifPresent(hints::add);
            blocklist(attempts).ifPresent(hints::add);
        }
        addressFamilies(attempts).ifPresent(hints::add);
        natInPath(attempts).ifPresent(hints::add);
        hints.addAll(SessionHints.derive(attempts));
        return hints;
    }

    /**
     * On an OK result, a hint when the leaf certificate the server presented expires within {@code warning} of
     * {@code now}: senders that verify certificates will start failing when it does.
     */
    public static Optional<Hint> certificateExpiry(Verdict verdict, Attempt a, Duration warning, Instant now) {
        if (verdict != Verdict.OK || a.tls() == null || a.tls().leaf() == null || warning.isZero()) {
            return Optional.empty();
        }
        CertificateInfo leaf = a.tls().leaf();
        Duration left = Duration.between(now, leaf.notAfter());
        if (left.isNegative() || left.compareTo(warning) >= 0) {
            return Optional.empty();
        }
        long days = left.toDays();
        return Optional.of(new Hint(HintCode.CERTIFICATE_EXPIRES_SOON, "The server's certificate " + leaf.subject()
                + " expires " + leaf.notAfter() + ", in " + (days >= 1 ? days + (days == 1 ? " day" : " days")
                : "less than a day") + ": renew it before clients that verify certificates refuse the server.",
                List.of("certificate " + leaf.subject() + " valid until " + leaf.notAfter(),
                        "warning threshold " + warning.toDays() + " days")));
    }

    /** Whether the attempt failed at or behind a proxy: the proxy failed, or it reported the target's failure. */
    public static boolean throughProxy(Attempt a) {
        return a.failure() != null && a.failure().type().equals(ProxyFailure.class.getName());
    }

    // ---- the machine ------------------------------------------------------------------------------------------

    static Optional<Hint> dockerLocalhost(Verdict verdict, Attempt a, HostEnvironment env) {
        if (verdict != Verdict.CONNECTION_REFUSED || !a.remote().getAddress().isLoopbackAddress()) {
            return Optional.empty();
        }
        Container container = container(env);
        if (container.evidence().isEmpty()) {
            return Optional.empty();
        }
        List<String> evidence = new ArrayList<>(container.evidence());
        evidence.add(0, "target " + a.remote().getAddress().getHostAddress() + " is loopback and refused");
        Optional<String> gateway = container.gateway();
        gateway.ifPresent(g -> evidence.add("default gateway " + g + " (from /proc/net/route)"));
        String message = "This probe runs inside a container, where localhost is the container itself, not the host."
                + " If the mail server runs on the host, use host.docker.internal (Docker Desktop)"
                + gateway.map(g -> " or the container's default gateway " + g).orElse(" or the container's default gateway")
                + " instead of " + a.host() + ".";
        return Optional.of(new Hint(HintCode.DOCKER_LOCALHOST, message, evidence));
    }

    /** What says this process runs in a container (empty on a plain host), and the container's default gateway. */
    record Container(List<String> evidence, Optional<String> gateway) {
    }

    /**
     * The real machine's container facts, read once: a process does not change containers while it runs, and a
     * container's gateway is set when it starts. Read per refused loopback probe, their five file reads were most
     * of that verdict's latency (BENCHMARKS.md, section 3a).
     */
    private static volatile Container systemContainer;

    /** The container facts of {@code env}: read once per process for the real machine, every time otherwise. */
    static Container container(HostEnvironment env) {
        if (env != HostEnvironment.system()) {
            return readContainer(env);
        }
        Container cached = systemContainer;
        if (cached == null) {
            cached = readContainer(env);
            systemContainer = cached;
        }
        return cached;
    }

    private static Container readContainer(HostEnvironment env) {
        List<String> evidence = containerEvidence(env);
        return new Container(List.copyOf(evidence), evidence.isEmpty() ? Optional.empty() : defaultGateway(env));
    }

    /** Facts that say this process runs in a container; empty on a plain host. A new, mutable list. */
    public static List<String> containerEvidence(HostEnvironment env) {
        List<String> evidence = new ArrayList<>();
        if (env.exists("/.dockerenv")) {
            evidence.add("/.dockerenv exists");
        }
        if (env.exists("/run/.containerenv")) {
            evidence.add("/run/.containerenv exists (Podman)");
        }
        env.readFile("/proc/1/cgroup").ifPresent(cgroup -> {
            for (String marker : List.of("docker", "kubepods", "containerd", "libpod", "lxc")) {
                if (cgroup.contains(marker)) {
                    evidence.add("/proc/1/cgroup mentions " + marker);
                    break;
                }
            }
        });
        env.readFile("/proc/self/mountinfo").ifPresent(mounts -> {
            if (mounts.contains("/docker/containers/") || mounts.contains("/var/lib/docker/")) {
                evidence.add("/proc/self/mountinfo shows Docker mounts");
            }
        });
        return evidence;
    }

    /** The IPv4 default gateway from {@code /proc/net/route} (hex, little-endian), if any. */
    static Optional<String> defaultGateway(HostEnvironment env) {
        Optional<String> table = env.readFile("/proc/net/route");
        if (table.isEmpty()) {
            return Optional.empty();
        }
        for (String line : table.get().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[1].equals("00000000") && f[2].length() == 8 && !f[2].equals("00000000")) {
                try {
                    long g = Long.parseLong(f[2], 16);
                    return Optional.of((g & 0xff) + "." + ((g >> 8) & 0xff) + "." + ((g >> 16) & 0xff) + "." + ((g >> 24) & 0xff));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    static Optional<Hint> localListener(Verdict verdict, Attempt a, HostEnvironment env) {
        if (verdict != Verdict.CONNECTION_REFUSED) {
            return Optional.empty();
        }
        InetAddress target = a.remote().getAddress();
        boolean local = target.isLoopbackAddress() || target.isAnyLocalAddress() || env.localAddresses().contains(target);
        if (!local) {
            return Optional.empty();
        }
        int port = a.remote().getPort();
        return Optional.of(new Hint(HintCode.LOCAL_LISTENER,
                "The target is this machine and nothing accepted port " + port + ": check the mail daemon"
                        + " (systemctl status postfix; ss -tlnp | grep :" + port + "; Postfix listens as 'master', not 'smtpd')"
                        + " and the address it binds (inet_interfaces).",
                List.of(target.getHostAddress() + " is an address of this machine", "TCP port " + port + " refused")));
    }

    static Optional<Hint> cloudPort25(List<Attempt> attempts, HostEnvironment env) {
        boolean port25TimedOut = false;
        for (Attempt a : attempts) { // a loop, not a stream: this runs on every probe's result
            if (a.remote().getPort() == 25 && a.verdict() == Verdict.CONNECTION_TIMED_OUT && !throughProxy(a)) {
                port25TimedOut = true;
                break;
            }
        }
        if (!port25TimedOut) {
            return Optional.empty();
        }
        String vendor = env.readFile("/sys/class/dmi/id/sys_vendor").orElse("").trim();
        String product = env.readFile("/sys/class/dmi/id/product_name").orElse("").trim();
        String bios = env.readFile("/sys/class/dmi/id/bios_vendor").orElse("").trim();
        String all = (vendor + " " + product + " " + bios).toLowerCase(Locale.ROOT);
        String provider;
        String extra;
        if (all.contains("amazon")) {
            provider = "AWS (EC2)";
            extra = " AWS lifts the block on request, per region.";
        } else if (all.contains("google")) {
            provider = "Google Cloud (GCE)";
            extra = " Google Cloud does not lift it: use a relay or a submission port.";
        } else if (vendor.toLowerCase(Locale.ROOT).contains("microsoft") && product.toLowerCase(Locale.ROOT).contains("virtual machine")) {
            provider = "Microsoft Azure";
            extra = " Azure allows port 25 only for some subscription types.";
        } else {
            return Optional.empty();
        }
        List<String> evidence = new ArrayList<>();
        evidence.add("TCP port 25 timed out");
        if (!vendor.isEmpty()) {
            evidence.add("sys_vendor: " + vendor);
        }
        if (!product.isEmpty()) {
            evidence.add("product_name: " + product);
        }
        if (!bios.isEmpty()) {
            evidence.add("bios_vendor: " + bios);
        }
        return Optional.of(new Hint(HintCode.CLOUD_PORT_25_BLOCKED, "This machine runs on " + provider
                + ", which blocks outbound port 25 by default: send through port 587 with authentication, or through a relay."
                + extra, evidence));
    }

    // ---- the network ------------------------------------------------------------------------------------------

    static Optional<Hint> rejectVsDrop(Verdict verdict, Attempt a) {
        if (verdict != Verdict.CONNECTION_REFUSED && verdict != Verdict.CONNECTION_TIMED_OUT) {
            return Optional.empty();
        }
        int port = a.remote().getPort();
        String target = Addresses.format(a.remote());
        if (verdict == Verdict.CONNECTION_REFUSED) {
            return Optional.of(new Hint(HintCode.REJECT_VS_DROP, "Refused, not timed out: something answered \"no\" at once"
                    + " (a TCP reset or an ICMP port-unreachable). The service is down or not bound to this address, or a"
                    + " firewall REJECT rule answers for it (on the path, at the server, or this host's own firewall: an"
                    + " OUTPUT REJECT rule here refuses the same way); a DROP rule would have produced silence and a timeout.",
                    List.of("TCP port " + port + " of " + a.remote().getAddress().getHostAddress() + " refused in " + phaseMillis(a, Phase.CONNECT) + " ms")));
        }
        if (verdict == Verdict.CONNECTION_TIMED_OUT) {
            return Optional.of(new Hint(HintCode.REJECT_VS_DROP, "Timed out, not refused: the connection attempt met silence."
                    + " Packets are being dropped (a DROP firewall rule on the path or in this host's own firewall (an OUTPUT DROP"
                    + " rule), an ISP or cloud egress block, or an upstream filter);"
                    + " a stopped service or a REJECT rule would have refused at once. Try port 587 or 2525 and trace the route.",
                    List.of("no answer to the SYN to " + target + " within " + phaseMillis(a, Phase.CONNECT) + " ms")));
        }
        return Optional.empty();
    }

    static Optional<Hint> tlsModeForPort(Verdict verdict, Attempt a) {
        int port = a.remote().getPort();
        if (verdict == Verdict.TLS_MODE_MISMATCH) {
            boolean sentTls = a.tlsMode() == TlsMode.IMPLICIT;
            String message = sentTls
                    ? "Port " + port + " answered a TLS hello in plain text: it expects plain SMTP then STARTTLS (587 is the"
                    + " STARTTLS submission port). Use tls(STARTTLS) here, or implicit TLS on port 465."
                    : "Port " + port + " speaks implicit TLS from the first byte (like 465): a plain-text client waits forever"
                    + " for a banner. Use tls(IMPLICIT) on this port, or STARTTLS on 587.";
            return Optional.of(new Hint(HintCode.TLS_MODE_FOR_PORT, message, List.of(a.detail())));
        }
        if (verdict == Verdict.GREETING_TIMEOUT && port == 465 && a.tlsMode() != TlsMode.IMPLICIT) {
            return Optional.of(new Hint(HintCode.TLS_MODE_FOR_PORT, "Port 465 is the implicit-TLS port (SMTPS, RFC 8314):"
                    + " the server waits for a TLS hello before it says anything. Probe it with tls(IMPLICIT).",
                    List.of("no banner on port 465 in " + a.tlsMode() + " mode")));
        }
        return Optional.empty();
    }

    static Optional<Hint> authIsNotTheNetwork(Verdict verdict, Attempt a) {
        if (verdict.layer() != Layer.AUTH) {
            return Optional.empty();
        }
        List<String> evidence = new ArrayList<>();
        evidence.add("TCP connected to " + Addresses.format(a.remote()));
        if (a.greeting() != null) {
            evidence.add("banner: " + a.greeting());
        }
        if (a.tls() != null) {
            evidence.add("TLS: " + a.tls().protocol());
        }
        if (a.lastReply() != null) {
            evidence.add("last reply: " + a.lastReply());
        }
        return Optional.of(new Hint(HintCode.AUTH_NOT_NETWORK, "The network, TLS and SMTP all worked: the failure is"
                + " authentication, not connectivity. Some libraries report this as \"SMTP connect() failed\"; fix the"
                + " credentials or the authentication settings, not ports or firewalls.", evidence));
    }

    static Optional<Hint> blocklist(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            if (a.policyReason() == PolicyReason.BLOCKLIST && a.lastReply() != null) {
                String source = a.local() != null ? a.local().getAddress().getHostAddress() : "your sending address";
                return Optional.of(new Hint(HintCode.BLOCKLIST_IN_REPLY, "The rejection names a blocklist: check whether "
                        + source + " (or the public address it is translated to) is listed before anything else;"
                        + " a delisting request only makes sense with this reply as evidence.",
                        List.of(a.lastReply().toString())));
            }
        }
        return Optional.empty();
    }

    /** One address family failed at the TCP layer while the other got further. */
    static Optional<Hint> addressFamilies(List<Attempt> attempts) {
        Attempt v6Failed = null;
        Attempt v4Failed = null;
        Attempt v6Worked = null;
        Attempt v4Worked = null;
        for (Attempt a : attempts) {
            boolean v6 = a.remote().getAddress() instanceof Inet6Address;
            boolean tcpFailed = a.verdict().layer() == Layer.TCP;
            if (v6 && tcpFailed && v6Failed == null) {
                v6Failed = a;
            } else if (!v6 && tcpFailed && v4Failed == null) {
                v4Failed = a;
            } else if (v6 && !tcpFailed && v6Worked == null) {
                v6Worked = a;
            } else if (!v6 && !tcpFailed && v4Worked == null && a.remote().getAddress() instanceof Inet4Address) {
                v4Worked = a;
            }
        }
        if (v6Failed != null && v4Worked != null) {
            return Optional.of(new Hint(HintCode.IPV6_PATH_BROKEN, "IPv6 failed while IPv4 worked: the IPv6 path (routing,"
                    + " firewall or the AAAA record) is broken; mail servers that prefer IPv6 will see this failure.",
                    List.of(v6Failed.toString(), v4Worked.toString())));
        }
        if (v4Failed != null && v6Worked != null) {
            return Optional.of(new Hint(HintCode.IPV6_PATH_BROKEN, "IPv4 failed while IPv6 worked: the IPv4 path (routing,"
                    + " firewall or the A record) is broken.", List.of(v4Failed.toString(), v6Worked.toString())));
        }
        return Optional.empty();
    }

    /** The server named the client address it saw; when it is not our local address, NAT is in the path. */
    static Optional<Hint> natInPath(List<Attempt> attempts) {
        for (Attempt a : attempts) {
            if (a.local() == null || a.ehlo() == null) {
                continue;
            }
            Optional<InetAddress> seen = addressSeenByServer(a.ehlo());
            if (seen.isEmpty()) {
                continue;
            }
            InetAddress local = a.local().getAddress();
            if (!sameAddress(seen.get(), local)) {
                return Optional.of(new Hint(HintCode.NAT_IN_PATH, "The server saw this client as "
                        + seen.get().getHostAddress() + " while it connected from " + local.getHostAddress()
                        + ": NAT is in the path, and recipients see " + seen.get().getHostAddress()
                        + " (that is the address to check in blocklists and SPF).",
                        List.of("EHLO reply: " + a.ehlo().lines().get(0), "local address: " + local.getHostAddress())));
            }
        }
        return Optional.empty();
    }

    /** The first address literal in the first line of an EHLO reply, as servers echo the client's address. */
    static Optional<InetAddress> addressSeenByServer(SmtpReply ehlo) {
        if (ehlo.lines().isEmpty() || ehlo.lines().get(0).indexOf('[') < 0) {
            return Optional.empty();
        }
        Matcher m = BRACKETED_ADDRESS.matcher(ehlo.lines().get(0));
        while (m.find()) {
            Optional<InetAddress> a = Addresses.parseLiteral(m.group(1));
            if (a.isPresent()) {
                return a;
            }
        }
        return Optional.empty();
    }

    private static boolean sameAddress(InetAddress a, InetAddress b) {
        if (a.equals(b)) {
            return true;
        }
        // An IPv4 client on a dual-stack socket may be echoed as ::ffff:a.b.c.d.
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length == 16 && y.length == 4) {
            return java.util.Arrays.equals(java.util.Arrays.copyOfRange(x, 12, 16), y);
        }
        if (y.length == 16 && x.length == 4) {
            return java.util.Arrays.equals(java.util.Arrays.copyOfRange(y, 12, 16), x);
        }
        return false;
    }

    private static long phaseMillis(Attempt a, Phase phase) {
        return a.timings().containsKey(phase) ? a.timings().get(phase).toMillis() : a.elapsed().toMillis();
    }
}
