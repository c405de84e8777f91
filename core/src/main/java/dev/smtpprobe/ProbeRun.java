package dev.smtpprobe;

import dev.smtpprobe.internal.Arguments;
import java.util.List;

/**
 * Which run of a probe a {@link ProbeListener} event belongs to: every event of one run carries an equal
 * {@code ProbeRun}, and runs made in one JVM never share an {@link #id()}. A listener that serves several probes at
 * once (a batch, a health check, a port sweep) keys what it keeps by this value.
 *
 * <pre>{@code
 * Map<ProbeRun, Instant> started = new ConcurrentHashMap<>();
 * ProbeListener listener = new ProbeListener() {
 *     public void probeStart(ProbeRun probe) { started.put(probe, Instant.now()); }
 *     public void probeEnd(ProbeRun probe, ProbeResult result) { started.remove(probe); }
 * };
 * }</pre>
 *
 * @param id     the run's number, unique within the JVM and increasing in the order runs started; a listener
 *               test may make its own
 * @param target the host or domain as given ({@link ProbeResult#target()})
 * @param ports  the ports probed, in order ({@link ProbeResult#ports()})
 */
public record ProbeRun(long id, String target, List<Integer> ports) {

    /**
     * Checks and copies the components.
     *
     * @param id the run's number, unique within the JVM and increasing in the order runs started; a listener test may
     *     make its own
     * @param target the host or domain as given ({@link ProbeResult#target()})
     * @param ports the ports probed, in order ({@link ProbeResult#ports()})
     */
    public ProbeRun {
        Arguments.requireNonNull(target, "target");
        ports = List.copyOf(Arguments.requireNonNull(ports, "ports"));
    }

    /** {@code "probe #12 mx.example.net"}. */
    @Override
    public String toString() {
        return "probe #" + id + " " + target;
    }
}
