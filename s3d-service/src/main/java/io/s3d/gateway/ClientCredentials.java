package io.s3d.gateway;

import io.s3d.api.auth.CredentialStore;
import io.s3d.config.CredentialsFile;
import io.s3d.config.S3dConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The credentials s3d's own clients sign with: one pair from {@code s3d.access-key-id} /
 * {@code s3d.secret-access-key}, plus any number from a file in the AWS {@code credentials} format.
 */
final class ClientCredentials {
    private ClientCredentials() {
    }

    static CredentialStore load(S3dConfig config) {
        Map<String, String> pairs = new LinkedHashMap<>();
        String id = config.accessKeyId().filter(v -> !v.isBlank()).orElse(null);
        String secret = config.secretAccessKey().filter(v -> !v.isBlank()).orElse(null);
        if ((id == null) != (secret == null)) {
            throw new IllegalStateException(id == null
                    ? "s3d.secret-access-key (S3D_SECRET_ACCESS_KEY) is set without s3d.access-key-id (S3D_ACCESS_KEY_ID)"
                    : "s3d.access-key-id (S3D_ACCESS_KEY_ID) is set without s3d.secret-access-key (S3D_SECRET_ACCESS_KEY)");
        }
        if (id != null) {
            pairs.put(id, secret);
        }
        config.credentialsFile().filter(v -> !v.isBlank()).ifPresent(file -> pairs.putAll(CredentialsFile.read(Path.of(file))));
        return CredentialStore.of(pairs);
    }
}
