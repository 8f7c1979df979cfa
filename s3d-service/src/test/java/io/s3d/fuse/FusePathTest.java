package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FusePathTest {

    @Test
    void pathsMapToBucketAndKey() {
        assertThat(FusePath.parse("/")).isEqualTo(FusePath.ROOT);
        assertThat(FusePath.parse("/photos")).isEqualTo(new FusePath("photos", null));
        assertThat(FusePath.parse("/photos/2024/a.jpg")).isEqualTo(new FusePath("photos", "2024/a.jpg"));
        assertThat(FusePath.parse("/photos/2024/")).isEqualTo(new FusePath("photos", "2024"));
    }

    @Test
    void directoriesListTheirPrefixAndMkdirWritesAMarker() {
        assertThat(FusePath.parse("/photos").dirPrefix()).isEmpty();
        assertThat(FusePath.parse("/photos/2024").dirPrefix()).isEqualTo("2024/");
        assertThat(FusePath.parse("/photos/2024/raw").markerKey()).isEqualTo("2024/raw/");
        assertThat(FusePath.ROOT.child("photos")).isEqualTo(new FusePath("photos", null));
        assertThat(FusePath.parse("/photos").child("a")).isEqualTo(new FusePath("photos", "a"));
        assertThat(FusePath.parse("/photos/a").child("b")).isEqualTo(new FusePath("photos", "a/b"));
        assertThat(FusePath.parse("/photos/a/b").display()).isEqualTo("/photos/a/b");
    }

    @Test
    void listingEntriesBecomeNamesInTheirDirectory() {
        assertThat(FusePath.entryName("", "a.txt")).isEqualTo("a.txt");
        assertThat(FusePath.entryName("", "docs/")).isEqualTo("docs");
        assertThat(FusePath.entryName("docs/", "docs/readme")).isEqualTo("readme");
        assertThat(FusePath.entryName("docs/", "docs/old/")).isEqualTo("old");
        assertThat(FusePath.entryName("docs/", "docs/")).as("the directory's own marker").isNull();
        assertThat(FusePath.entryName("docs/", "other")).isNull();
    }

    @Test
    void keysThatCannotBeFileNamesAreHidden() {
        assertThat(FusePath.entryName("", "a/")).as("a//b lists as directory a").isEqualTo("a");
        assertThat(FusePath.entryName("a/", "a//")).as("empty segment of a//b").isNull();
        assertThat(FusePath.entryName("", "/")).as("leading slash").isNull();
        assertThat(FusePath.entryName("", "./")).isNull();
        assertThat(FusePath.entryName("", "../")).isNull();
        assertThat(FusePath.entryName("", ".")).isNull();
        assertThat(FusePath.entryName("", "x".repeat(255))).hasSize(255);
        assertThat(FusePath.entryName("", "x".repeat(256))).as("over NAME_MAX").isNull();
        assertThat(FusePath.entryName("", "é".repeat(128))).as("256 bytes of UTF-8").isNull();
        assertThat(FusePath.entryName("", ".hidden")).as("dot files are ordinary names").isEqualTo(".hidden");
        assertThat(new FusePath("b", "a/../c").isNameable()).isFalse();
        assertThat(new FusePath("b", "a//c").isNameable()).isFalse();
        assertThat(new FusePath("b", "a/b/c").isNameable()).isTrue();
    }

    @Test
    void namesAndKeysTooLongForS3AreTooLong() {
        assertThat(new FusePath("b", "x".repeat(255)).isTooLong()).isFalse();
        assertThat(new FusePath("b", "x".repeat(256)).isTooLong()).as("a 256-byte name").isTrue();
        assertThat(new FusePath("b", "d/" + "é".repeat(128)).isTooLong()).as("256 bytes of UTF-8").isTrue();
        String deep = ("x".repeat(200) + "/").repeat(5) + "y".repeat(30); // 1,035 bytes, names under 255
        assertThat(new FusePath("b", deep).isTooLong()).as("a key over 1,024 bytes").isTrue();
        assertThat(new FusePath("x".repeat(256), null).isTooLong()).as("a bucket name").isTrue();
        assertThat(FusePath.ROOT.isTooLong()).isFalse();
    }
}
