package dev.smtpprobe.internal;

import dev.smtpprobe.Attempt;
import dev.smtpprobe.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule that picks the attempt deciding a verdict, overall and port by port. The engine applies it once when
 * a run ends and records its choice in the result ({@link dev.smtpprobe.ProbeResult#decidingIndex()}); every
 * accessor, the summary and the report read that record, so they cannot name different attempts.
 *
 * <p>The rule: the first {@link Verdict#OK} attempt in attempt order; otherwise the first
 * {@link Verdict#INTERNAL_ERROR} (a transport that failed makes the rest no diagnosis); otherwise the attempt that got
 * furthest through the phases, the first in attempt order on a tie. A confirmation attempt (the quick one in the
 * other TLS mode right after a silent port) is evidence only and never decides.
 */
public final class Decision {

    private Decision() {
    }

    /** The index in {@code attempts} of the deciding attempt, or -1 when none can decide (no attempt). */
    public static int decidingIndex(List<Attempt> attempts) {
        int best = -1;
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            if (i > 0 && isConfirmation(a, attempts.get(i - 1))) {
                // An OK in the other TLS mode proves the mismatch; it must not turn the verdict into OK.
                continue;
            }
            if (a.isOk()) {
                return i;
            }
            Attempt b = best < 0 ? null : attempts.get(best);
            if (b != null && b.verdict() == Verdict.INTERNAL_ERROR) {
                continue;
            }
            if (b == null || a.verdict() == Verdict.INTERNAL_ERROR || a.phase().ordinal() > b.phase().ordinal()) {
                best = i;
            }
        }
        return best;
    }

    /**
     * The verdict of each port, in the order of {@code ports}, by the same rule applied to that port's attempts;
     * a port without an attempt is left out.
     */
    public static Map<Integer, Verdict> perPort(List<Integer> ports, List<Attempt> attempts) {
        Map<Integer, Verdict> byPort = new LinkedHashMap<>();
        for (int port : ports) {
            List<Attempt> onPort = new ArrayList<>();
            for (Attempt a : attempts) {
                if (a.remote().getPort() == port) {
                    onPort.add(a);
                }
            }
            int deciding = decidingIndex(onPort);
            if (deciding >= 0) {
                byPort.put(port, onPort.get(deciding).verdict());
            }
        }
        return Collections.unmodifiableMap(byPort);
    }

    /**
     * Whether {@code a} is the confirmation of {@code before}: the attempt the engine makes right after it, to the
     * same address and port, in the other TLS mode. Every other attempt on a port uses that port's one TLS mode.
     */
    private static boolean isConfirmation(Attempt a, Attempt before) {
        return before.remote().equals(a.remote()) && before.tlsMode() != a.tlsMode();
    }
}
