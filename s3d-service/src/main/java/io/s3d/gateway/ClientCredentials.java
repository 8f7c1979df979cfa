package io.s3d.gateway;

import io.s3d.api.auth.CredentialStore;
import io.s3d.config.S3dConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
        config.credentialsFile().filter(v -> !v.isBlank()).ifPresent(file -> pairs.putAll(readFile(Path.of(file))));
        return CredentialStore.of(pairs);
    }

    /** Parses an AWS-style credentials file: {@code [section]}, {@code aws_access_key_id = ...}. */
    static Map<String, String> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalStateException("s3d.credentials-file (S3D_CREDENTIALS_FILE): cannot read " + file + ": "
                    + e.getMessage(), e);
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        String section = null;
        String id = null;
        String secret = null;
        int lineNumber = 0;
        for (String raw : lines) {
            lineNumber++;
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                addPair(pairs, file, section, id, secret);
                section = line.substring(1, line.length() - 1).trim();
                id = null;
                secret = null;
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalStateException("s3d.credentials-file (S3D_CREDENTIALS_FILE): " + file + " line "
                        + lineNumber + " is neither a [section] nor a key = value line");
            }
            String name = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (name.equals("aws_access_key_id")) {
                id = value;
            } else if (name.equals("aws_secret_access_key")) {
                secret = value;
            }
        }
        addPair(pairs, file, section, id, secret);
        return pairs;
    }

    private static void addPair(Map<String, String> pairs, Path file, String section, String id, String secret) {
        if (id == null && secret == null) {
            return;
        }
        if (id == null || secret == null) {
            throw new IllegalStateException("s3d.credentials-file (S3D_CREDENTIALS_FILE): section [" + section + "] of "
                    + file + " needs both aws_access_key_id and aws_secret_access_key");
        }
        pairs.put(id, secret);
    }
}
