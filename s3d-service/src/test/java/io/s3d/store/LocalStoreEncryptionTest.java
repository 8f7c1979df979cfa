package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.WriteCondition;
import io.s3d.store.crypto.DefaultEncryption;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption in the local store itself, as the FUSE mount and the sync folder use it (no S3
 * request, no headers): a bucket's default encryption applies to their writes, their reads of
 * SSE-S3 objects are decrypted, and an SSE-C object is an error for them, never ciphertext.
 */
class LocalStoreEncryptionTest {
    private static final String SECRET = "a secret line of a file written through the mount\n";

    @TempDir
    Path dir;

    LocalStore store;

    @BeforeEach
    void open() throws IOException {
        store = LocalStore.open(dir, "us-east-1", 10_000, 0);
        store.createBucket("bkt");
    }

    private ObjectMeta put(String key, byte[] content, Map<String, String> headers, Optional<byte[]> customerKey) {
        return store.putObject(new PutRequest("bkt", key, new ByteArrayInputStream(content), content.length,
                Optional.empty(), headers, Map.of(), Map.of(), Map::of, WriteCondition.NONE, customerKey));
    }

    private String onDisk() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir.resolve("bkt"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    @Test
    void aBucketDefaultEncryptsWritesWithoutHeadersAndReadsDecrypt() throws IOException {
        store.putBucketEncryption("bkt", DefaultEncryption.render(new DefaultEncryption.Rule("AES256",
                Optional.empty(), false)));
        byte[] content = SECRET.repeat(3000).getBytes(StandardCharsets.UTF_8);
        ObjectMeta meta = put("notes.txt", content, Map.of(), Optional.empty());
        assertThat(meta.headers()).containsEntry("x-amz-server-side-encryption", "AES256");
        assertThat(onDisk()).doesNotContain("a secret line");
        try (ObjectData data = store.getObject("bkt", "notes.txt"); InputStream in = data.open(100, 70_000)) {
            assertThat(data.stableFile()).isEmpty(); // no sendfile of ciphertext
            assertThat(in.readAllBytes()).isEqualTo(java.util.Arrays.copyOfRange(content, 100, 70_100));
        }
        // the generated master key, owner-only, beside the data
        assertThat(dir.resolve(".keys/master.key")).exists();

        store.deleteBucketEncryption("bkt");
        assertThat(put("plain.txt", content, Map.of(), Optional.empty()).headers())
                .doesNotContainKey("x-amz-server-side-encryption");
    }

    @Test
    void anSseCObjectIsAnErrorWithoutItsKeyNeverCiphertext() throws IOException {
        byte[] key = new byte[32];
        key[0] = 7;
        put("c.txt", SECRET.getBytes(StandardCharsets.UTF_8), Map.of("x-amz-server-side-encryption-customer-algorithm",
                "AES256", "x-amz-server-side-encryption-customer-key-md5", "md5"), Optional.of(key));
        try (ObjectData data = store.getObject("bkt", "c.txt")) {
            assertThatThrownBy(() -> data.open(0, data.meta().size()).readAllBytes())
                    .isInstanceOf(IOException.class).hasMessageContaining("customer-provided key");
            assertThat(data.opensWith(key)).isTrue();
            assertThat(data.opensWith(new byte[32])).isFalse();
            try (InputStream in = data.withCustomerKey(key).open(0, data.meta().size())) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(SECRET);
            }
        }
        assertThat(onDisk()).doesNotContain("a secret line");
    }
}
