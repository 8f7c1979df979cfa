package io.s3d.operator.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.api.v1alpha1.SyncFolderSpec;

/** Custom resources for tests. */
public final class Fixtures {
    private Fixtures() {
    }

    public static S3dGateway gateway(String namespace, String name, S3dGatewaySpec spec) {
        S3dGateway gw = new S3dGateway();
        gw.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        gw.setSpec(spec);
        return gw;
    }

    /** A gateway with a remote, its credentials Secret, client credentials, queue and cache. */
    public static S3dGatewaySpec fullSpec() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.remote = new S3dGatewaySpec.RemoteSpec();
        s.remote.endpoint = "http://minio.storage.svc:9000";
        s.remote.region = "eu-west-1";
        s.remote.pathStyle = true;
        s.remote.credentialsSecret = new S3dGatewaySpec.SecretKeysRef();
        s.remote.credentialsSecret.name = "remote-creds";
        s.clientCredentials = new S3dGatewaySpec.SecretKeysRef();
        s.clientCredentials.name = "client-creds";
        s.writeQueue = new S3dGatewaySpec.WriteQueueSpec();
        s.writeQueue.maxSize = "2G";
        s.writeQueue.maxAge = "600s";
        s.readCache = new S3dGatewaySpec.ReadCacheSpec();
        s.readCache.maxSize = "5G";
        s.filters = new S3dGatewaySpec.FilterSpec();
        s.filters.inline = "exclude: \"**/*.tmp\"\n";
        s.telemetry = new S3dGatewaySpec.TelemetrySpec();
        s.telemetry.otlpEndpoint = "http://otel-collector.observability.svc:4317";
        return s;
    }

    public static SyncFolder syncFolder(String namespace, String name, String gateway, String claim) {
        SyncFolder f = new SyncFolder();
        f.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
        SyncFolderSpec s = new SyncFolderSpec();
        s.gateway = gateway;
        s.bucket = "team-docs";
        s.prefix = "shared/";
        s.volume = new SyncFolderSpec.VolumeSpec();
        s.volume.claimName = claim;
        s.volume.path = "/docs";
        s.exclude = java.util.List.of("*.swp");
        f.setSpec(s);
        return f;
    }

    public static String resource(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static <T> T load(String path, Class<T> type) {
        return Serialization.unmarshal(resource(path), type);
    }
}
