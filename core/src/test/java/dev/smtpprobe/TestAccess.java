package dev.smtpprobe;

import dev.smtpprobe.internal.ProbeConfig;
import dev.smtpprobe.internal.Ticker;

/** What tests in other packages may reach of a probe beyond its public API. */
@SuppressWarnings("exports") // internal types, for tests of the engine only
public final class TestAccess {

    private TestAccess() {
    }

    /** The engine's configuration of {@code probe}. */
    public static ProbeConfig config(SmtpProbe probe) {
        return probe.config();
    }

    /** {@code builder} with this monotonic clock. */
    public static SmtpProbe.Builder ticker(SmtpProbe.Builder builder, Ticker ticker) {
        return builder.ticker(ticker);
    }

    /** {@code builder} fetching MTA-STS policies from this port instead of 443. */
    public static SmtpProbe.Builder mtaStsPort(SmtpProbe.Builder builder, int port) {
        return builder.mtaStsPort(port);
    }
}
