package dev.smtpprobe.netty.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.Version;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The supported-Netty check as a pure function of the versions found, and as read from this JVM's class path. */
class NettyVersionsTest {

    /** The transport's artifacts, all at {@code version}, as a 4.1 application has them. */
    private static Map<String, String> line41(String version) {
        Map<String, String> found = new TreeMap<>();
        for (String artifact : new String[] {"netty-common", "netty-buffer", "netty-resolver", "netty-transport",
                "netty-codec", "netty-handler", "netty-transport-native-unix-common"}) {
            found.put(artifact, version);
        }
        return found;
    }

    /** The same for 4.2, whose codec classes moved to netty-codec-base. */
    private static Map<String, String> line42(String version) {
        Map<String, String> found = line41(version);
        found.put("netty-codec-base", version);
        return found;
    }

    @Test
    void supportedLinesPass() {
        assertThat(NettyVersions.problem(line41("4.1.112.Final"))).isNull();
        assertThat(NettyVersions.problem(line41("4.1.137.Final"))).isNull();
        assertThat(NettyVersions.problem(line42("4.2.7.Final"))).isNull();
        assertThat(NettyVersions.problem(line42("4.2.18.Final"))).isNull();
        assertThat(NettyVersions.problem(line42("4.2.8.Final-SNAPSHOT"))).as("a snapshot of a later release").isNull();
        assertThat(NettyVersions.problem(line42("4.3.0.Final"))).as("a later 4.x line").isNull();
    }

    @Test
    void anOlderReleaseNamesTheVersionsFoundAndNeeded() {
        String problem = NettyVersions.problem(line41("4.1.111.Final"));

        assertThat(problem).contains("netty-transport 4.1.111.Final", "netty-handler 4.1.111.Final",
                "4.1.112.Final or a later 4.1.x", "4.2.7.Final or later", "netty-bom");
        assertThat(NettyVersions.problem(line42("4.2.6.Final"))).contains("netty-common 4.2.6.Final");
        assertThat(NettyVersions.problem(line41("4.0.56.Final"))).contains("netty-transport 4.0.56.Final");
        assertThat(NettyVersions.problem(line41("5.0.0.Alpha2"))).contains("5.0.0.Alpha2");
        assertThat(NettyVersions.problem(line41("4.1.112.Beta1"))).as("a pre-release of the minimum").isNotNull();
    }

    @Test
    void oneOldArtifactAmongSupportedOnesIsEnough() {
        Map<String, String> found = line41("4.1.137.Final");
        found.put("netty-handler", "4.1.100.Final");

        assertThat(NettyVersions.problem(found)).contains("netty-handler 4.1.100.Final", "netty-common 4.1.137.Final");
    }

    @Test
    void artifactsOnTwoLinesAreRefusedEvenWhenEachIsSupported() {
        Map<String, String> found = line41("4.1.137.Final");
        found.put("netty-handler", "4.2.7.Final");
        found.put("netty-codec-base", "4.2.7.Final");

        assertThat(NettyVersions.problem(found)).contains("one release line", "netty-transport 4.1.137.Final",
                "netty-handler 4.2.7.Final");
    }

    @Test
    void otherArtifactsAndUnreadableVersionsAreNotJudged() {
        Map<String, String> found = line41("4.1.137.Final");
        found.put("netty-pkitesting", "4.2.7.Final");       // test certificates: no 4.1 release exists
        found.put("netty-tcnative-classes", "2.0.70.Final"); // versioned on its own
        found.put("netty-codec-http", "4.1.50.Final");      // the application's, not ours
        found.put("netty-transport-classes-epoll", "custom-build");

        assertThat(NettyVersions.problem(found)).isNull();
        assertThat(NettyVersions.problem(Map.of())).as("nothing readable: a shaded jar, say").isNull();
    }

    @Test
    void versionsParseAsNettyWritesThem() {
        assertThat(NettyVersions.parse("4.1.137.Final")).containsExactly(4, 1, 137, 1);
        assertThat(NettyVersions.parse("4.2.0.Alpha1")).containsExactly(4, 2, 0, 0);
        assertThat(NettyVersions.parse("4.2.8.Final-SNAPSHOT")).containsExactly(4, 2, 8, 0);
        assertThat(NettyVersions.parse("4.2")).isNull();
        assertThat(NettyVersions.parse("x.y.z.Final")).isNull();
    }

    @Test
    void thisJvmsNettyIsReadAsNettyReportsItAndIsSupported() {
        Map<String, String> read = NettyVersions.onClassPath(getClass().getClassLoader());
        Map<String, String> reported = new TreeMap<>();
        Version.identify(getClass().getClassLoader()).forEach((id, v) -> reported.put(id, v.artifactVersion()));

        assertThat(read).isEqualTo(reported).containsKeys("netty-common", "netty-transport", "netty-handler");
        assertThat(NettyVersions.problem(read)).isNull();
        NettyVersions.requireSupported(); // does not throw
    }
}
