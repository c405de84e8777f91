package dev.smtpprobe.netty.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs small test classes on a JUnit launcher of their own and checks what {@link SkipReasonListener} prints for
 * each way a test is skipped, and the counts against JUnit's own summary.
 */
class SkipReasonListenerTest {

    /** Like the real-fault classes: an assumption in {@code beforeAll} aborts the class. */
    static class AbortedClass {
        @BeforeAll
        static void lab() {
            Assumptions.abort("network namespace tests need root");
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "b"})
        void each(String s) {
        }
    }

    /** Like the real-MTA classes: each test skips itself with its server's reason. */
    static class AbortedTests {
        @Test
        void postfix() {
            Assumptions.abort("Postfix needs root");
        }

        @ParameterizedTest
        @ValueSource(strings = {"a", "b", "c"})
        void exim(String s) {
            Assumptions.abort("Exim needs root");
        }

        @Test
        void runs() {
        }

        @Test
        @Disabled("not here")
        void off() {
        }
    }

    /** Nothing skipped: nothing printed. */
    static class AllRun {
        @Test
        void runs() {
        }
    }

    private static String run(Class<?> testClass, SummaryGeneratingListener summary) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // Without the listeners registered through META-INF/services: only the one under test prints.
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
                .enableTestExecutionListenerAutoRegistration(false).build());
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                new SkipReasonListener(new PrintStream(bytes, true, StandardCharsets.UTF_8)), summary);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aClassAbortedBeforeItsTestsIsOneLineWithItsTestsAndTheReason() {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        String out = run(AbortedClass.class, summary);
        assertThat(out).isEqualTo("SKIPPED 2 tests of " + AbortedClass.class.getName()
                + ": network namespace tests need root" + System.lineSeparator());
        // JUnit itself reports the class as aborted and no test as started, skipped or aborted: the count the
        // line gives is that of the plan (a parameterized test has no invocations before it runs).
        assertThat(summary.getSummary().getContainersAbortedCount()).isEqualTo(1);
        assertThat(summary.getSummary().getTestsFoundCount()).isEqualTo(2);
        assertThat(summary.getSummary().getTestsStartedCount()).isZero();
        assertThat(summary.getSummary().getTestsAbortedCount()).isZero();
    }

    @Test
    void testsAbortedOneByOneAreCountedPerReasonAndDisabledOnesSayWhy() {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        String out = run(AbortedTests.class, summary);
        String name = AbortedTests.class.getName();
        assertThat(out.lines()).containsExactlyInAnyOrder(
                "SKIPPED 1 test of " + name + ": Postfix needs root",
                "SKIPPED 3 tests of " + name + ": Exim needs root",
                "SKIPPED 1 test of " + name + ": disabled: not here");
        assertThat(summary.getSummary().getTestsAbortedCount()).isEqualTo(4);
        assertThat(summary.getSummary().getTestsSkippedCount()).isEqualTo(1);
        assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
    }

    @Test
    void aClassWithoutSkipsPrintsNothing() {
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        assertThat(run(AllRun.class, summary)).isEmpty();
        assertThat(summary.getSummary().getTestsSucceededCount()).isEqualTo(1);
    }
}
