package io.s3d.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExtentsTest {

    @Test
    void rangesThatOverlapOrTouchAreMerged() {
        Extents e = new Extents();
        e.add(10, 20);
        e.add(30, 40);
        e.add(20, 25);
        e.add(5, 12);
        e.add(39, 50);

        assertThat(e).hasToString("{5=25, 30=50}");
        e.add(0, 100);
        assertThat(e).hasToString("{0=100}");
    }

    @Test
    void gapsAreWhatIsNotCoveredInsideTheRangeAsked() {
        Extents e = new Extents();
        e.add(10, 20);
        e.add(30, 40);

        assertThat(gaps(e, 0, 50)).containsExactly("0-10", "20-30", "40-50");
        assertThat(gaps(e, 15, 35)).containsExactly("20-30");
        assertThat(gaps(e, 12, 18)).isEmpty();
        assertThat(gaps(e, 20, 30)).containsExactly("20-30");
        assertThat(gaps(e, 40, 40)).isEmpty();
    }

    @Test
    void intersectsOnlyWhenABytesIsShared() {
        Extents e = new Extents();
        e.add(10, 20);

        assertThat(e.intersects(0, 10)).isFalse();
        assertThat(e.intersects(20, 30)).isFalse();
        assertThat(e.intersects(19, 30)).isTrue();
        assertThat(e.intersects(0, 11)).isTrue();
        assertThat(e.intersects(12, 13)).isTrue();
        assertThat(e.intersects(0, 100)).isTrue();
    }

    @Test
    void clipDropsEverythingFromTheCut() {
        Extents e = new Extents();
        e.add(10, 20);
        e.add(30, 40);

        e.clip(15);

        assertThat(e).hasToString("{10=15}");
        assertThat(e.intersects(15, 100)).isFalse();
    }

    @Test
    void aPinnedVersionKeepsWhatIsStagedWhenRebased() {
        PinnedVersion v = new PinnedVersion("b", "k", "e1", 100, null);
        v.fetched(0, 10);
        v.written(50, 60);
        v.truncated(80);
        v.written(90, 95);

        assertThat(v.unchanged(0, 50)).isTrue();
        assertThat(v.unchanged(40, 55)).isFalse();
        assertThat(v.unchanged(60, 80)).isTrue();
        assertThat(v.unchanged(60, 81)).as("past the cut: new bytes").isFalse();
        assertThat(v.missing(0, 100)).extracting(r -> r[0] + "-" + r[1]).containsExactly("10-50", "60-80");

        PinnedVersion next = v.rebased("b", "k", "e2", 95, null);

        assertThat(next.unchanged(0, 95)).isTrue();
        assertThat(next.missing(0, 95)).extracting(r -> r[0] + "-" + r[1]).containsExactly("10-50", "60-80");
    }

    private static List<String> gaps(Extents e, long from, long to) {
        return e.gaps(from, to).stream().map(r -> r[0] + "-" + r[1]).toList();
    }
}
