package io.s3d.api.auth;

import java.util.Map;
import java.util.Optional;

/** Secret keys by access key id. An empty store means s3d runs without authentication. */
public interface CredentialStore {

    /** The secret for an access key id, if that key is known. */
    Optional<String> secretKeyFor(String accessKeyId);

    /** True when no credentials are configured, so requests are not verified. */
    boolean isEmpty();

    /** A fixed store; the map is copied. */
    static CredentialStore of(Map<String, String> accessKeyToSecret) {
        Map<String, String> copy = Map.copyOf(accessKeyToSecret);
        return new CredentialStore() {
            @Override
            public Optional<String> secretKeyFor(String accessKeyId) {
                return accessKeyId == null ? Optional.empty() : Optional.ofNullable(copy.get(accessKeyId));
            }

            @Override
            public boolean isEmpty() {
                return copy.isEmpty();
            }
        };
    }
}
