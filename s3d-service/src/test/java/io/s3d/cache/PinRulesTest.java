package io.s3d.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinRulesTest {
    @TempDir
    Path dir;

    @Test
    void objectTagsPinWithPin() {
        assertThat(PinRules.pinsObject(Map.of("s3d.cache", "pin"))).isTrue();
        assertThat(PinRules.pinsObject(Map.of("s3d.cache", "no"))).isFalse();
        assertThat(PinRules.pinsObject(Map.of("team", "ml"))).isFalse();
    }

    @Test
    void bucketTagsPinTheBucketOrOnePrefix() throws Exception {
        Map<String, Map<String, String>> tags = new HashMap<>();
        tags.put("models", Map.of("s3d.cache", "pin"));
        tags.put("data", Map.of("s3d.cache", "pin:hot/", "owner", "x"));
        tags.put("plain", Map.of());
        PinRules rules = new PinRules(b -> {
            if (b.equals("notagging")) {
                throw new S3Exception(S3ErrorCode.NOT_IMPLEMENTED);
            }
            return tags.get(b);
        }, Duration.ofHours(1), dir.resolve("pins"));

        assertThat(rules.pinnedByBucket(new ObjectId("models", "any/key"))).isTrue();
        assertThat(rules.pinnedByBucket(new ObjectId("data", "hot/a"))).isTrue();
        assertThat(rules.pinnedByBucket(new ObjectId("data", "cold/a"))).isFalse();
        assertThat(rules.pinnedByBucket(new ObjectId("plain", "a"))).isFalse();
        assertThat(rules.pinnedByBucket(new ObjectId("notagging", "a"))).as("a remote without bucket tagging")
                .isFalse();
    }

    @Test
    void localPinsAreKeptAcrossRestarts() throws Exception {
        PinRules rules = new PinRules(b -> Map.of(), Duration.ofHours(1), dir.resolve("pins"));
        rules.pinLocally("b", "models/");
        assertThat(rules.pinnedByBucket(new ObjectId("b", "models/x"))).isTrue();
        assertThat(rules.pinnedByBucket(new ObjectId("b", "other"))).isFalse();
        assertThat(rules.pinnedByBucket(new ObjectId("bb", "models/x"))).isFalse();

        PinRules reopened = new PinRules(b -> Map.of(), Duration.ofHours(1), dir.resolve("pins"));
        assertThat(reopened.localPins()).containsExactly("b/models/");
        assertThat(reopened.unpinLocally("b", "models/")).isTrue();
        assertThat(reopened.unpinLocally("b", "models/")).isFalse();
        assertThat(new PinRules(b -> Map.of(), Duration.ofHours(1), dir.resolve("pins")).localPins()).isEmpty();
    }
}
