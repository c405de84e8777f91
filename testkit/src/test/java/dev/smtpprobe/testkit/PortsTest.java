package dev.smtpprobe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class PortsTest {

    @Test
    void aClosedPortRefusesConnections() {
        int port = Ports.closed();
        assertThat(port).isBetween(1, 65535);
        assertThatThrownBy(() -> Client.connect(Ports.closedAddress())).isInstanceOf(ConnectException.class)
                .hasMessageContaining("refused");
    }
}
