package io.s3d.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RangeHintTest {
    @Test
    void readsTheSingleRangeFormsS3Accepts() {
        assertThat(RangeHint.parse("bytes=0-99")).containsExactly(0, 99);
        assertThat(RangeHint.parse("bytes=100-")).containsExactly(100, -1);
        assertThat(RangeHint.parse("bytes=-500")).containsExactly(-500, -1);
        assertThat(RangeHint.parse(" bytes= 5 - 9 ")).containsExactly(5, 9);
    }

    @Test
    void anythingElseMeansTheWholeObject() {
        assertThat(RangeHint.parse(null)).isNull();
        assertThat(RangeHint.parse("bytes=0-1,5-9")).isNull();
        assertThat(RangeHint.parse("items=0-1")).isNull();
        assertThat(RangeHint.parse("bytes=9-5")).isNull();
        assertThat(RangeHint.parse("bytes=-0")).isNull();
        assertThat(RangeHint.parse("bytes=x-1")).isNull();
    }
}
