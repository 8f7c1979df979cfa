package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.S3Exception;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3AddressTest {
    private static final Optional<String> DOMAIN = Optional.of("s3.local");

    @Test
    void pathStyle() {
        assertThat(S3Address.parse("localhost:33333", "/", DOMAIN)).isEqualTo(new S3Address(null, null));
        assertThat(S3Address.parse("localhost:33333", "/photos", DOMAIN)).isEqualTo(new S3Address("photos", null));
        assertThat(S3Address.parse("localhost:33333", "/photos/", DOMAIN)).isEqualTo(new S3Address("photos", null));
        assertThat(S3Address.parse("localhost", "/photos/2026/cat%20%F0%9F%90%B1.jpg", Optional.empty()))
                .isEqualTo(new S3Address("photos", "2026/cat 🐱.jpg"));
        assertThat(S3Address.parse("localhost", "/b/a/../b//c/", Optional.empty()))
                .isEqualTo(new S3Address("b", "a/../b//c/"));
        assertThat(S3Address.parse("localhost", "/b/plus+stays", Optional.empty()))
                .isEqualTo(new S3Address("b", "plus+stays"));
    }

    @Test
    void virtualHostedStyle() {
        assertThat(S3Address.parse("photos.s3.local:33333", "/2026/cat.jpg", DOMAIN))
                .isEqualTo(new S3Address("photos", "2026/cat.jpg"));
        assertThat(S3Address.parse("PHOTOS.S3.LOCAL", "/", DOMAIN)).isEqualTo(new S3Address("photos", null));
        assertThat(S3Address.parse("my.dotted.bucket.s3.local", "/k", DOMAIN))
                .isEqualTo(new S3Address("my.dotted.bucket", "k"));
        assertThat(S3Address.parse("s3.local:33333", "/photos/k", DOMAIN)).isEqualTo(new S3Address("photos", "k"));
        assertThat(S3Address.parse("photos.s3.local", "/k", Optional.empty())).isEqualTo(new S3Address("k", null));
    }

    @Test
    void queryDecodingAndBadEscapes() {
        assertThat(S3Address.query("prefix=a%2Fb+c&delimiter=%2F&list-type=2&uploads"))
                .containsEntry("prefix", "a/b c").containsEntry("delimiter", "/").containsEntry("uploads", "");
        assertThatThrownBy(() -> S3Address.parse("h", "/b/bad%zz", Optional.empty())).isInstanceOf(S3Exception.class);
        assertThatThrownBy(() -> S3Address.parse("h", "/b/bad%C3", Optional.empty())).isInstanceOf(S3Exception.class);
    }
}
