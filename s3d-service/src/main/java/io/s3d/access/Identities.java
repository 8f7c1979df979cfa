package io.s3d.access;

import io.s3d.api.auth.CredentialStore;
import io.s3d.config.CredentialsFile;
import io.s3d.config.S3dConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The identities of s3d's key pairs. The pair of {@code S3D_ACCESS_KEY_ID} is named {@code s3d};
 * each pair of {@code S3D_CREDENTIALS_FILE} is named by its section ({@code [alice]}). Without
 * credentials (open mode) there is one implicit identity, owner of everything.
 */
@ApplicationScoped
public class Identities {
    /** The display name of the S3D_ACCESS_KEY_ID pair, and of the implicit owner in open mode. */
    public static final String DEFAULT_NAME = "s3d";
    /** The owner id open mode has always shown in listings. */
    public static final String OPEN_MODE_ID = "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a";
    public static final Identity OPEN_MODE_OWNER = new Identity(DEFAULT_NAME, OPEN_MODE_ID, DEFAULT_NAME);

    private final Map<String, Identity> byAccessKey = new LinkedHashMap<>();
    private final Map<String, Identity> byCanonicalId = new LinkedHashMap<>();
    private final boolean open;

    @Inject
    Identities(S3dConfig config, CredentialStore credentials) {
        this(names(config), credentials.isEmpty());
    }

    /** Identities for key pairs named as given (access key id to display name), in configuration order. */
    public Identities(Map<String, String> names, boolean open) {
        this.open = open;
        names.forEach((key, name) -> {
            Identity identity = Identity.of(key, name);
            byAccessKey.putIfAbsent(key, identity);
            byCanonicalId.putIfAbsent(identity.canonicalId(), identity);
        });
    }

    private static Map<String, String> names(S3dConfig config) {
        Map<String, String> names = new LinkedHashMap<>();
        config.accessKeyId().filter(v -> !v.isBlank()).ifPresent(key -> names.put(key, DEFAULT_NAME));
        config.credentialsFile().filter(v -> !v.isBlank())
                .ifPresent(file -> CredentialsFile.sectionNames(Path.of(file)).forEach(names::putIfAbsent));
        return names;
    }

    /** True when s3d runs without credentials: nothing is refused by access control. */
    public boolean open() {
        return open;
    }

    /** Who signed with {@code accessKeyId} (verified), anonymous for null; the implicit owner in open mode. */
    public Identity of(String accessKeyId) {
        if (open) {
            return OPEN_MODE_OWNER;
        }
        if (accessKeyId == null) {
            return Identity.ANONYMOUS;
        }
        return byAccessKey.getOrDefault(accessKeyId, Identity.of(accessKeyId, accessKeyId));
    }

    /** The identity with this canonical id, for grants that name one. */
    public Optional<Identity> byCanonicalId(String canonicalId) {
        if (open) {
            return OPEN_MODE_ID.equals(canonicalId) ? Optional.of(OPEN_MODE_OWNER) : Optional.empty();
        }
        return Optional.ofNullable(byCanonicalId.get(canonicalId));
    }

    /**
     * The owner of buckets and objects stored before s3d recorded owners: the first configured key pair
     * ({@code S3D_ACCESS_KEY_ID}, else the first section of the credentials file).
     */
    public Identity firstConfigured() {
        if (open || byAccessKey.isEmpty()) {
            return OPEN_MODE_OWNER;
        }
        return byAccessKey.values().iterator().next();
    }

    public Collection<Identity> all() {
        return byAccessKey.values();
    }
}
