package io.s3d.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.ObjectMeta;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored form of an object's metadata: what a later s3d reads back, and what an earlier one can. */
class MetaCodecTest {
    private static ObjectMeta meta(List<Long> partSizes) {
        return new ObjectMeta("k", 5L * 1024 * 1024 + 4, "abc-2", Instant.ofEpochMilli(1_700_000_000_000L),
                Map.of("content-type", "text/plain"), Map.of("colour", "blue"), Map.of("CRC32C", "jt5/sg==-2"),
                Map.of("t", "v"), 2, "generation", partSizes);
    }

    @Test
    void thePartsAClientUploadedAnObjectInAreKeptForThePush() throws Exception {
        ObjectMeta assembled = meta(List.of(5L * 1024 * 1024, 4L));
        assertThat(MetaCodec.decode(MetaCodec.encode(assembled))).isEqualTo(assembled);
    }

    @Test
    void anObjectWithoutKnownPartsIsWrittenAsBeforeSoAnEarlierS3dReadsIt() throws Exception {
        ObjectMeta whole = meta(List.of());
        byte[] stored = MetaCodec.encode(whole);
        assertThat(ByteBuffer.wrap(stored).getInt()).as("format version").isEqualTo(1);
        assertThat(MetaCodec.decode(stored)).isEqualTo(whole);
    }
}
