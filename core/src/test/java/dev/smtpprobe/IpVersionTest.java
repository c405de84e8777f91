package dev.smtpprobe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The order in which each setting tries addresses. */
class IpVersionTest {

    private static InetAddress ip(String s) throws UnknownHostException {
        return InetAddress.getByName(s);
    }

    @Test
    void ordersAndFilters() throws UnknownHostException {
        InetAddress a1 = ip("192.0.2.1");
        InetAddress a2 = ip("192.0.2.2");
        InetAddress b1 = ip("2001:db8::1");
        InetAddress b2 = ip("2001:db8::2");
        List<InetAddress> mixed = List.of(a1, a2, b1, b2);

        assertThat(IpVersion.ANY.order(mixed)).containsExactly(b1, a1, b2, a2);
        assertThat(IpVersion.PREFER_V4.order(mixed)).containsExactly(a1, a2, b1, b2);
        assertThat(IpVersion.PREFER_V6.order(mixed)).containsExactly(b1, b2, a1, a2);
        assertThat(IpVersion.V4_ONLY.order(mixed)).containsExactly(a1, a2);
        assertThat(IpVersion.V6_ONLY.order(mixed)).containsExactly(b1, b2);
        assertThat(IpVersion.ANY.order(List.of(a1, a2, b1))).containsExactly(b1, a1, a2);
    }

    @Test
    void familiesUsed() throws UnknownHostException {
        assertThat(IpVersion.V4_ONLY.usesV6()).isFalse();
        assertThat(IpVersion.V6_ONLY.usesV4()).isFalse();
        assertThat(IpVersion.ANY.usesV4() && IpVersion.ANY.usesV6()).isTrue();
        assertThat(IpVersion.V4_ONLY.allows(ip("::1"))).isFalse();
        assertThat(IpVersion.V6_ONLY.allows(ip("::1"))).isTrue();
    }
}
