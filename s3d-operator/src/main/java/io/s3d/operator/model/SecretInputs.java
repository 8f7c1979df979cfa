package io.s3d.operator.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;

/**
 * The Secrets a gateway's pods read (remote and client credentials), reduced to a hash of the keys
 * they use (as Keycloak's watched resources do): it goes on the pod template, so a rotated key rolls
 * the pods, which read Secrets only at start. Also names the referenced Secrets that do not exist,
 * the TLS Secret among them; the TLS Secret is not hashed: s3d re-reads the mounted certificate
 * (S3D_TLS_RELOAD_PERIOD), so a renewal must not roll the pods. Pure: the lookup is a function.
 */
public record SecretInputs(String hash, List<String> missing) {
    public static final SecretInputs NONE = new SecretInputs(null, List.of());

    /** {@code lookup}: a Secret's decoded data by name, empty when the Secret does not exist. */
    public static SecretInputs of(S3dGatewaySpec spec, Function<String, Optional<Map<String, String>>> lookup) {
        Map<String, TreeSet<String>> keys = new TreeMap<>();
        if (spec != null && spec.remote != null && spec.remote.credentialsSecret != null) {
            add(keys, spec.remote.credentialsSecret);
        }
        if (spec != null && spec.clientCredentials != null) {
            add(keys, spec.clientCredentials);
        }
        String tls = spec != null && spec.tls != null && spec.tls.secretName != null && !spec.tls.secretName.isBlank()
                ? spec.tls.secretName : null;
        if (keys.isEmpty() && tls == null) {
            return NONE;
        }
        Map<String, String> hashed = new TreeMap<>();
        TreeSet<String> missing = new TreeSet<>();
        keys.forEach((name, used) -> {
            Optional<Map<String, String>> data = lookup.apply(name);
            if (data.isEmpty()) {
                missing.add(name);
                return;
            }
            for (String key : used) {
                hashed.put(name + "/" + key, data.get().get(key));
            }
        });
        if (tls != null && !keys.containsKey(tls) && lookup.apply(tls).isEmpty()) {
            missing.add(tls);
        }
        return new SecretInputs(keys.isEmpty() ? null : ConfigHash.of(hashed), List.copyOf(missing));
    }

    private static void add(Map<String, TreeSet<String>> keys, S3dGatewaySpec.SecretKeysRef ref) {
        if (ref.name == null || ref.name.isBlank()) {
            return;
        }
        TreeSet<String> used = keys.computeIfAbsent(ref.name, n -> new TreeSet<>());
        used.add(ref.accessKeyIdKey == null ? "AWS_ACCESS_KEY_ID" : ref.accessKeyIdKey);
        used.add(ref.secretAccessKeyKey == null ? "AWS_SECRET_ACCESS_KEY" : ref.secretAccessKeyKey);
    }
}
