package dev.smtpprobe.netty.faults;

import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Builds a {@link NetLab} before a test class and removes it after, also when tests fail. Where a lab cannot be
 * built (not root, {@code ip}/{@code iptables} missing), the class is skipped with the reason; except on CI as
 * root (environment {@code CI=true}), where {@code .ci/run} installs the tools, so a missing one fails loudly
 * instead of hiding behind a skip.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final NetLabExtension LAB = new NetLabExtension(1);
 * }</pre>
 */
public final class NetLabExtension implements BeforeAllCallback, AfterAllCallback {

    private final int targets;
    private NetLab lab;

    /** @param targets how many target namespaces the lab has */
    public NetLabExtension(int targets) {
        this.targets = targets;
    }

    /** The lab of the running test class. */
    public NetLab lab() {
        if (lab == null) {
            throw new IllegalStateException("no lab: beforeAll did not run or failed");
        }
        return lab;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Optional<String> why = NetLab.unavailableReason();
        if (why.isPresent()) {
            String reason = "network namespace tests skipped: " + why.get();
            if (requiredHere()) {
                throw new IllegalStateException(reason + " (CI=true as root: .ci/run should have installed them)");
            }
            Assumptions.abort(reason);
        }
        lab = NetLab.create(targets);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (lab != null) {
            lab.close();
            lab = null;
        }
    }

    /** On CI as root the namespace tests must run, never skip. */
    static boolean requiredHere() {
        return "true".equalsIgnoreCase(System.getenv("CI")) && "root".equals(System.getProperty("user.name"));
    }
}
