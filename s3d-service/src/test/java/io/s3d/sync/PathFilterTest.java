package io.s3d.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PathFilterTest {
    @Test
    void noGlobsAcceptEverything() {
        assertThat(PathFilter.of(List.of(), List.of()).accepts("any/thing")).isTrue();
    }

    @Test
    void aGlobWithoutSlashMatchesTheNameAtAnyDepth() {
        PathFilter f = PathFilter.of(List.of("*.md"), List.of());
        assertThat(f.accepts("readme.md")).isTrue();
        assertThat(f.accepts("docs/deep/guide.md")).isTrue();
        assertThat(f.accepts("docs/guide.mdx")).isFalse();
        assertThat(f.accepts("md")).isFalse();
    }

    @Test
    void aGlobWithSlashMatchesFromTheRoot() {
        PathFilter f = PathFilter.of(List.of("img/**", "/top/*.txt"), List.of());
        assertThat(f.accepts("img/a.png")).isTrue();
        assertThat(f.accepts("img/2024/b.png")).isTrue();
        assertThat(f.accepts("docs/img/a.png")).isFalse();
        assertThat(f.accepts("top/a.txt")).isTrue();
        assertThat(f.accepts("top/sub/a.txt")).isFalse();
    }

    @Test
    void theOperatorsExample() {
        PathFilter f = PathFilter.of(List.of("*.md", "img/**"), List.of("tmp/**"));
        assertThat(f.accepts("notes.md")).isTrue();
        assertThat(f.accepts("img/logo.svg")).isTrue();
        assertThat(f.accepts("tmp/draft.md")).as("exclude applies after include").isFalse();
        assertThat(f.accepts("src/Main.java")).isFalse();
    }

    @Test
    void doubleStarSlashAlsoMatchesNoDirectory() {
        PathFilter f = PathFilter.of(List.of(), List.of("**/cache/**", "?.bak", "[ab].log"));
        assertThat(f.accepts("cache/x")).isFalse();
        assertThat(f.accepts("a/b/cache/x")).isFalse();
        assertThat(f.accepts("cached/x")).isTrue();
        assertThat(f.accepts("dir/x.bak")).isFalse();
        assertThat(f.accepts("dir/xy.bak")).isTrue();
        assertThat(f.accepts("a.log")).isFalse();
        assertThat(f.accepts("c.log")).isTrue();
    }

    @Test
    void regexCharactersAreLiteral() {
        PathFilter f = PathFilter.of(List.of("a+b(1).txt"), List.of());
        assertThat(f.accepts("a+b(1).txt")).isTrue();
        assertThat(f.accepts("aab1.txt")).isFalse();
    }
}
