package dev.smtpprobe.netty.junit;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Says in the build output why tests were skipped: Surefire counts a skipped test ({@code Skipped: 9}) but prints
 * no reason, and the real-fault and real-MTA tests skip without root or their tools. One line per test class and
 * reason, when the class ends, so Surefire shows it next to that class's {@code Tests run: ..., Skipped: N} line:
 *
 * <pre>
 * SKIPPED 9 tests of dev.smtpprobe.netty.faults.NetLabTest: network namespace tests skipped: network namespace
 * tests need root (run as root, as CI does)
 * </pre>
 *
 * <p>A test is skipped when an assumption aborts it or its class (JUnit's {@code TestAbortedException}), or when
 * a condition disables it. Registered for every test run of this module through
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SkipReasonListener implements TestExecutionListener {

    private final PrintStream out;
    private TestPlan plan;
    /** Per test class (its unique id): the reasons of its skipped tests, with how many each. */
    private final Map<String, Map<String, Integer>> skipped = new LinkedHashMap<>();

    /** Prints to {@code System.out}, which Surefire shows in the build output. */
    public SkipReasonListener() {
        this(System.out);
    }

    SkipReasonListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public void executionSkipped(TestIdentifier id, String reason) {
        skip(id, "disabled: " + reason);
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            skip(id, result.getThrowable().map(SkipReasonListener::reason).orElse("aborted"));
        } else if (isClass(id)) {
            report(id);
        }
    }

    private static String reason(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getName() : message;
    }

    private void skip(TestIdentifier id, String reason) {
        if (isClass(id)) {
            // The whole class: its tests never start, so count those in the plan, as Surefire does (a
            // parameterized test's invocations are only known when it runs, so it is not among them).
            long tests = plan == null ? 0 : plan.getDescendants(id).stream().filter(TestIdentifier::isTest).count();
            count(id, reason, (int) tests);
            report(id);
            return;
        }
        // A test, one invocation of a parameterized test, or such a test as a whole when it is disabled: each is
        // one test in Surefire's count.
        if (id.isTest() || isTestMethod(id)) {
            enclosingClass(id).ifPresent(c -> count(c, reason, 1));
        }
    }

    private void count(TestIdentifier testClass, String reason, int tests) {
        skipped.computeIfAbsent(testClass.getUniqueId(), k -> new LinkedHashMap<>()).merge(reason, tests,
                Integer::sum);
    }

    private void report(TestIdentifier testClass) {
        Map<String, Integer> reasons = skipped.remove(testClass.getUniqueId());
        if (reasons == null) {
            return;
        }
        String name = testClass.getSource().map(s -> ((ClassSource) s).getClassName())
                .orElse(testClass.getDisplayName());
        reasons.forEach((reason, tests) -> out.println("SKIPPED " + tests + (tests == 1 ? " test" : " tests")
                + " of " + name + ": " + reason));
        out.flush();
    }

    private static boolean isClass(TestIdentifier id) {
        return id.getSource().filter(ClassSource.class::isInstance).isPresent();
    }

    /** A test method or a parameterized/repeated test's method, not one of its invocations. */
    private boolean isTestMethod(TestIdentifier id) {
        if (id.getSource().filter(MethodSource.class::isInstance).isEmpty()) {
            return false;
        }
        return plan == null || plan.getParent(id)
                .map(p -> p.getSource().filter(MethodSource.class::isInstance).isEmpty()).orElse(true);
    }

    private Optional<TestIdentifier> enclosingClass(TestIdentifier id) {
        if (plan == null) {
            return Optional.empty();
        }
        Optional<TestIdentifier> at = plan.getParent(id);
        while (at.isPresent() && !isClass(at.get())) {
            at = plan.getParent(at.get());
        }
        return at;
    }
}
