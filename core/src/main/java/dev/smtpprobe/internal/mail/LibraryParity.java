package dev.smtpprobe.internal.mail;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.ConfigFinding;
import dev.smtpprobe.ConfigFinding.Code;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a run shows that the application's mail library would end otherwise than the probe. Jakarta Mail connects
 * to the first address of the host only (one {@code Socket} to the name), while the probe tries the next address
 * when one fails: when the first failed and a later one worked, the probe's {@code OK} is not the application's.
 */
public final class LibraryParity {

    private LibraryParity() {
    }

    /**
     * {@code findings}, followed by a {@link Code#LIBRARY_DIFFERS} finding when, on some port, the first attempt
     * failed and a later attempt to another address of the host succeeded.
     *
     * @param hostKey  the property that names the host, e.g. {@code mail.smtp.host}
     * @param host     the host as probed
     * @param attempts the run's attempts, in order
     */
    public static List<ConfigFinding> afterRun(List<ConfigFinding> findings, String hostKey, String host,
                                               List<Attempt> attempts) {
        Optional<ConfigFinding> parity = firstAddressOnly(hostKey, host, attempts);
        if (parity.isEmpty()) {
            return findings;
        }
        List<ConfigFinding> all = new ArrayList<>(findings);
        all.add(parity.get());
        return List.copyOf(all);
    }

    static Optional<ConfigFinding> firstAddressOnly(String hostKey, String host, List<Attempt> attempts) {
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
            Attempt first = attempts.get(i);
            int port = first.remote().getPort();
            if (seen.contains(port)) {
                continue;
            }
            seen.add(port);
            if (first.verdict().isOk()) {
                continue;
            }
            for (Attempt later : attempts.subList(i + 1, attempts.size())) {
                InetSocketAddress remote = later.remote();
                if (remote.getPort() == port && later.verdict().isOk()
                        && !remote.getAddress().equals(first.remote().getAddress())) {
                    return Optional.of(new ConfigFinding(Code.LIBRARY_DIFFERS, hostKey, host,
                            "Jakarta Mail connects to the first address of " + host + " only: "
                                    + first.remote().getAddress().getHostAddress() + " port " + port + " failed ("
                                    + first.verdict() + ") and " + remote.getAddress().getHostAddress()
                                    + " worked. Your application would fail here although a client that tries the "
                                    + "next address would succeed.",
                            "Fix or remove " + first.remote().getAddress().getHostAddress() + " among the addresses of "
                                    + host + " (DNS or hosts file), or set " + hostKey
                                    + " to a name whose first address works."));
                }
            }
        }
        return Optional.empty();
    }
}
