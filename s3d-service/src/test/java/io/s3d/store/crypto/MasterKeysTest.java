package io.s3d.store.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The key file: what it accepts, and start-up errors that name the key and the reason. */
class MasterKeysTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @TempDir
    Path dir;

    @Test
    void namedKeysServeKmsKeyIdsAliasesAndArns() throws IOException {
        MasterKeys keys = MasterKeys.parse("# keys\ndefault = " + KEY + "\n\nbackups=" + KEY + "\n", "f");
        assertThat(keys.require("default").name()).isEqualTo("default");
        assertThat(keys.resolve("backups")).contains("backups");
        assertThat(keys.resolve("alias/backups")).contains("backups");
        assertThat(keys.resolve("arn:aws:kms:us-east-1:111122223333:key/backups")).contains("backups");
        assertThat(keys.resolve("arn:aws:kms:us-east-1:111122223333:alias/backups")).contains("backups");
        assertThat(keys.resolve("missing")).isEmpty();
        assertThatThrownBy(() -> keys.require("missing")).hasMessageContaining("'missing' is not in the key file");
    }

    @Test
    void badBase64WrongLengthMissingDefaultAndDuplicatesAreNamed() {
        assertThatThrownBy(() -> MasterKeys.parse("default = not*base64", "keys.txt"))
                .hasMessageContaining("keys.txt line 1").hasMessageContaining("key 'default' is not valid base64");
        assertThatThrownBy(() -> MasterKeys.parse("default = " + KEY + "\nshort = AAAA", "keys.txt"))
                .hasMessageContaining("line 2").hasMessageContaining("key 'short' is 3 bytes")
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MasterKeys.parse("other = " + KEY, "keys.txt"))
                .hasMessageContaining("no key named 'default'");
        assertThatThrownBy(() -> MasterKeys.parse("default = " + KEY + "\ndefault = " + KEY, "keys.txt"))
                .hasMessageContaining("defined twice");
        assertThatThrownBy(() -> MasterKeys.parse("just a line", "keys.txt"))
                .hasMessageContaining("expected 'name = base64 of 32 bytes'");
    }

    @Test
    void anUnreadableFileIsNamed() {
        Path missing = dir.resolve("nope.keys");
        assertThatThrownBy(() -> MasterKeys.fromFile(missing))
                .hasMessageContaining("S3D_ENCRYPTION_KEY_FILE").hasMessageContaining(missing.toString());
    }

    @Test
    void withoutAKeyFileOneDefaultKeyIsGeneratedOwnerOnlyAndKept() throws IOException {
        Path file = dir.resolve(".keys").resolve("master.key");
        MasterKeys first = MasterKeys.generatedIn(file);
        assertThat(file).doesNotExist(); // made when first needed
        byte[] key = first.require("default").key().getEncoded();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(MasterKeys.generatedIn(file).require("default").key().getEncoded()).isEqualTo(key);
        assertThat(first.resolve("some-kms-key")).isEmpty();
    }
}
