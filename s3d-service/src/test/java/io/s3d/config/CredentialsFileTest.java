package io.s3d.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A credentials file that yields no pair must never mean "no authentication". */
class CredentialsFileTest {
    @TempDir
    Path dir;

    @Test
    void anEmptyFileIsAnErrorNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("empty"), "");
        assertThatThrownBy(() -> CredentialsFile.read(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("S3D_CREDENTIALS_FILE").hasMessageContaining(file.toString())
                .hasMessageContaining("holds no credentials");
    }

    @Test
    void aTypoInTheKeyNamesIsAnErrorNamingTheTypo() throws Exception {
        Path file = Files.writeString(dir.resolve("typo"), "[default]\naws_access_key = x\naws_secret_key = y\n");
        assertThatThrownBy(() -> CredentialsFile.read(file)).hasMessageContaining(file.toString())
                .hasMessageContaining("aws_access_key").hasMessageContaining("a typo?");
    }

    @Test
    void anEmptyValueIsAnError() throws Exception {
        Path file = Files.writeString(dir.resolve("blank"), "[a]\naws_access_key_id =\naws_secret_access_key = s\n");
        assertThatThrownBy(() -> CredentialsFile.read(file)).hasMessageContaining("[a]");
    }

    @Test
    void pairsAreReadWithOtherKeysIgnored() throws Exception {
        Path file = Files.writeString(dir.resolve("ok"), "# comment\n[a]\naws_access_key_id = A\n"
                + "aws_secret_access_key = S\nregion = eu-west-1\n[b]\naws_access_key_id=B\naws_secret_access_key=T\n");
        assertThat(CredentialsFile.read(file)).containsEntry("A", "S").containsEntry("B", "T").hasSize(2);
    }

    @Test
    void sectionsNameTheirPairs() throws Exception {
        Path file = Files.writeString(dir.resolve("named"), "aws_access_key_id = X\naws_secret_access_key = S\n"
                + "[alice]\naws_access_key_id = A\naws_secret_access_key = S\n[bob]\naws_access_key_id=B\n"
                + "aws_secret_access_key=T\n");
        assertThat(CredentialsFile.sectionNames(file)).containsExactly(java.util.Map.entry("X", "X"),
                java.util.Map.entry("A", "alice"), java.util.Map.entry("B", "bob"));
    }
}
