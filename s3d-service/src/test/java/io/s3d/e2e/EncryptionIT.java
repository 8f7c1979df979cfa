package io.s3d.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption at rest on the packaged standalone s3d with a key file: the AWS CLI and boto3
 * (scripts/compat/encryption.sh) write and read SSE-S3, SSE-KMS and SSE-C objects (multipart
 * included), copy between modes, set bucket default encryption, get AWS's errors, and find neither
 * plaintext nor SSE-C key on disk; a key file s3d cannot use stops start-up naming the key and why.
 */
class EncryptionIT {
    @TempDir
    Path dir;

    private Path keyFile(String content) throws Exception {
        return Files.writeString(dir.resolve("keys-" + System.nanoTime()), content);
    }

    private static String key(int fill) {
        byte[] bytes = new byte[32];
        java.util.Arrays.fill(bytes, (byte) fill);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Test
    void awsCliAndBoto3UseEveryEncryptionMode() throws Exception {
        Path keys = keyFile("# master keys\ndefault = " + key(1) + "\nbackups = " + key(2) + "\n");
        Path store = dir.resolve("store");
        try (ServiceProcess s3d = ServiceProcess.start(store, Map.of("S3D_ENCRYPTION_KEY_FILE", keys.toString()))) {
            CompatScript.run(s3d, "encryption.sh", Map.of(), List.of(store.toString()), "encryption: 0 failure(s)");
            // with a key file, s3d generates no key of its own
            assertThat(store.resolve(".keys")).doesNotExist();
        }
    }

    @Test
    void aKeyFileThatCannotBeUsedStopsStartUpNamingTheKey() throws Exception {
        Path shortKey = keyFile("default = " + key(1) + "\nbackups = AAAA\n");
        assertThatThrownBy(() -> ServiceProcess.start(dir.resolve("s1"),
                Map.of("S3D_ENCRYPTION_KEY_FILE", shortKey.toString())))
                .hasMessageContaining("s3d exited with")
                .hasMessageContaining("s3d.encryption.key-file (S3D_ENCRYPTION_KEY_FILE): " + shortKey
                        + " line 2: key 'backups' is 3 bytes");
        Path missing = dir.resolve("no-such-keys");
        assertThatThrownBy(() -> ServiceProcess.start(dir.resolve("s2"),
                Map.of("S3D_ENCRYPTION_KEY_FILE", missing.toString())))
                .hasMessageContaining("s3d.encryption.key-file (S3D_ENCRYPTION_KEY_FILE): cannot read " + missing);
    }
}
