package io.s3d.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How S3D_TLS_* settings become the Quarkus TLS registry's, and which combinations stop start-up. */
class TlsSettingsTest {

    private static ConfigSourceContext context(Map<String, String> values) {
        return new ConfigSourceContext() {
            @Override
            public ConfigValue getValue(String name) {
                String value = values.get(name);
                return value == null ? null : ConfigValue.builder().withName(name).withValue(value).build();
            }

            @Override
            public Iterator<String> iterateNames() {
                return values.keySet().iterator();
            }
        };
    }

    @Test
    void aPemPairBecomesTheDefaultKeyStoreAndPlainHttpIsRefused() {
        Map<String, String> out = TlsSettings.quarkusProperties(context(Map.of("s3d.tls.cert-file", "/tls/tls.crt",
                "s3d.tls.key-file", "/tls/tls.key")), true);
        assertThat(out).containsEntry("quarkus.tls.key-store.pem.s3d.cert", "/tls/tls.crt")
                .containsEntry("quarkus.tls.key-store.pem.s3d.key", "/tls/tls.key")
                .containsEntry("quarkus.http.insecure-requests", "disabled")
                .containsEntry("quarkus.tls.reload-period", "1m");
    }

    @Test
    void anHttpsEndpointNeedsAKey() {
        assertThatThrownBy(() -> TlsSettings.quarkusProperties(context(Map.of()), true))
                .hasMessageContaining("S3D_TLS_CERT_FILE");
        assertThat(TlsSettings.quarkusProperties(context(Map.of("quarkus.tls.key-store.p12.path", "/k.p12")), true))
                .containsEntry("quarkus.http.insecure-requests", "disabled");
        assertThat(TlsSettings.quarkusProperties(context(Map.of("QUARKUS_TLS_KEY_STORE_PEM_0_CERT", "/c.pem")), true))
                .containsEntry("quarkus.http.insecure-requests", "disabled");
    }

    @Test
    void contradictionsStopStartUpNamingTheKey() {
        assertThatThrownBy(() -> TlsSettings.quarkusProperties(context(Map.of("s3d.tls.cert-file", "c")), true))
                .hasMessageContaining("S3D_TLS_KEY_FILE");
        assertThatThrownBy(() -> TlsSettings.quarkusProperties(context(Map.of("s3d.tls.cert-file", "c",
                "s3d.tls.key-file", "k")), false)).hasMessageContaining("use https://");
        assertThatThrownBy(() -> TlsSettings.quarkusProperties(context(Map.of("s3d.tls.cert-file", "c",
                "s3d.tls.key-file", "k", "s3d.tls.insecure-requests", "redirect")), true))
                .hasMessageContaining("S3D_TLS_HTTP_PORT");
        assertThatThrownBy(() -> TlsSettings.quarkusProperties(context(Map.of("s3d.tls.cert-file", "c",
                "s3d.tls.key-file", "k", "s3d.tls.insecure-requests", "maybe")), true))
                .hasMessageContaining("S3D_TLS_INSECURE_REQUESTS");
    }
}
