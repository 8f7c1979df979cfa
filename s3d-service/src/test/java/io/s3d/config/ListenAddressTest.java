package io.s3d.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The listen guard looks at the host that would really be bound, whoever asked for it. */
class ListenAddressTest {

    @Test
    void withoutCredentialsANetworkHostIsNarrowedToLoopback() {
        ListenAddress address = ListenAddress.parse("http://0.0.0.0:9000", false);
        assertThat(address.host()).isEqualTo("127.0.0.1");
        assertThat(address.requestedHost()).isEqualTo("0.0.0.0");
        assertThat(address.narrowedToLoopback()).isTrue();
    }

    @Test
    void anExplicitQuarkusHostIsGuardedToo() {
        ListenAddress address = ListenAddress.parse("http://localhost:9000", Optional.of("0.0.0.0"), false);
        assertThat(address.host()).isEqualTo("127.0.0.1");
        assertThat(address.requestedHost()).isEqualTo("0.0.0.0");
        assertThat(ListenAddress.parse("http://localhost:9000", Optional.of("[::]"), false).host())
                .isEqualTo("127.0.0.1");
        assertThat(ListenAddress.parse("http://localhost:9000", Optional.of("10.1.2.3"), true).host())
                .isEqualTo("10.1.2.3");
    }

    @Test
    void loopbackNamesStayAsAsked() {
        assertThat(ListenAddress.parse("http://[::1]:9000", false).host()).isEqualTo("::1");
        assertThat(ListenAddress.parse("http://127.0.0.5:9000", false).host()).isEqualTo("127.0.0.5");
        assertThat(ListenAddress.parse("http://localhost:9000", false).narrowedToLoopback()).isFalse();
        assertThat(ListenAddress.isLoopback("127.evil.example")).isFalse();
    }

    @Test
    void httpsEndpointsServeTls() {
        ListenAddress address = ListenAddress.parse("https://0.0.0.0:9443", true);
        assertThat(address.tls()).isTrue();
        assertThat(address.port()).isEqualTo(9443);
        assertThat(ListenAddress.parse("https://s3.example", true).port()).isEqualTo(443);
        assertThatThrownBy(() -> ListenAddress.parse("ftp://x:1", true)).hasMessageContaining("S3D_ENDPOINT");
    }
}
