package dev.smtpprobe.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The longest-prefix match over the text of /proc/net/route and /proc/net/ipv6_route. */
class LocalRoutesTest {

    private static final List<String> V4 = List.of(
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
            "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
            // ip route add prohibit 192.0.2.77: RTF_REJECT | RTF_UP, host mask, no device
            "*\t4D0200C0\t00000000\t0201\t0\t0\t0\tFFFFFFFF\t0\t0\t0");

    private static final List<String> V6 = List.of(
            "fd000000000000000000000000000000 40 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
            // the kernel's own "no route" entry: /0, metric ffffffff, RTF_REJECT; not a configured prohibit route
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo",
            // ip -6 route add prohibit fd00::77
            "fd000000000000000000000000000077 80 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000400 00000001 00000000 00200200       lo");

    @Test
    void aProhibitRouteForTheTargetIsAReject() throws Exception {
        assertThat(LocalRoutes.matchV4(V4, InetAddress.getByName("192.0.2.77")))
                .contains(new LocalRoutes.Route("192.0.2.77/32", true));
        assertThat(LocalRoutes.matchV6(V6, InetAddress.getByName("fd00::77")))
                .contains(new LocalRoutes.Route("fd00:0:0:0:0:0:0:77/128", true));
    }

    @Test
    void anOrdinaryRouteIsNotAReject() throws Exception {
        assertThat(LocalRoutes.matchV4(V4, InetAddress.getByName("192.0.2.78")))
                .contains(new LocalRoutes.Route("192.0.2.0/24", false));
        assertThat(LocalRoutes.matchV4(V4, InetAddress.getByName("198.51.100.1")))
                .contains(new LocalRoutes.Route("0.0.0.0/0", false));
        assertThat(LocalRoutes.matchV6(V6, InetAddress.getByName("fd00::78")))
                .contains(new LocalRoutes.Route("fd00:0:0:0:0:0:0:0/64", false));
    }

    @Test
    void theKernelsNoRouteEntryIsNotAProhibitRoute() throws Exception {
        assertThat(LocalRoutes.matchV6(V6, InetAddress.getByName("2001:db8::1"))).isEmpty();
    }
}
