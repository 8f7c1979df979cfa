package io.s3d.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.s3d.backend.S3Exception;
import io.s3d.filter.FilterParser;
import io.s3d.filter.ObjectFacts;
import io.s3d.filter.RuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * Which objects are pinned: an object tagged {@code s3d.cache=pin}, every object of a bucket tagged
 * {@code s3d.cache=pin}, or every object under {@code <prefix>} of a bucket tagged
 * {@code s3d.cache=pin:<prefix>}. Bucket tags are read from the remote and kept for the cache's
 * max-age (or until they are changed through s3d). Besides tags, prefixes can be pinned on this s3d
 * alone (kept in the cache directory's {@code pins} file), for remotes without bucket tagging or
 * users without the right to set it.
 */
final class PinRules {
    static final String TAG = "s3d.cache";
    static final String PIN = "pin";
    /** The object-tag pin, a rule of the filter language: any bucket, any key, tagged s3d.cache=pin. */
    static final RuleSet OBJECT_PIN = FilterParser.parseList("[tag:" + TAG + "=" + PIN + "]");
    /** The bucket-tag pin of a whole bucket: {@code *[tag:s3d.cache=pin]}. */
    static final RuleSet BUCKET_PIN = FilterParser.parseList("*[tag:" + TAG + "=" + PIN + "]");

    private final Function<String, Map<String, String>> bucketTags;
    private final Cache<String, Optional<String>> byBucket;
    private final Path localFile;
    /** Prefixes pinned on this s3d (admin endpoint, {@code s3d prefetch --pin}), as {@code bucket/prefix}. */
    private final Set<String> local = new ConcurrentSkipListSet<>();

    PinRules(Function<String, Map<String, String>> bucketTags, Duration maxAge, Path localFile) throws IOException {
        this.bucketTags = bucketTags;
        this.byBucket = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(maxAge).build();
        this.localFile = localFile;
        if (Files.exists(localFile)) {
            for (String line : Files.readAllLines(localFile, StandardCharsets.UTF_8)) {
                if (line.indexOf('/') > 0) {
                    local.add(line);
                }
            }
        }
    }

    /** Pins every object under {@code prefix} of {@code bucket} on this s3d (kept across restarts). */
    void pinLocally(String bucket, String prefix) throws IOException {
        local.add(bucket + "/" + prefix);
        saveLocal();
    }

    /** Takes back a local pin; false when there was none. */
    boolean unpinLocally(String bucket, String prefix) throws IOException {
        boolean removed = local.remove(bucket + "/" + prefix);
        saveLocal();
        return removed;
    }

    List<String> localPins() {
        return List.copyOf(local);
    }

    private synchronized void saveLocal() throws IOException {
        Path tmp = localFile.resolveSibling(localFile.getFileName() + ".tmp");
        // Durable before the pin is acknowledged: a pin lost in a power cut would let eviction take
        // what the user asked to keep.
        Files.deleteIfExists(tmp);
        io.s3d.store.DurableFiles.writeNew(tmp, String.join("\n", local).concat(local.isEmpty() ? "" : "\n")
                .getBytes(StandardCharsets.UTF_8));
        Files.move(tmp, localFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        io.s3d.store.DurableFiles.syncDirectory(localFile.getParent());
    }

    /** Whether an object tag set pins its object. */
    static boolean pinsObject(Map<String, String> tags) {
        return OBJECT_PIN.selects(ObjectFacts.of("", "").withObjectTags(tags));
    }

    /** The pinned prefix of a bucket ({@code ""} for all of it), from its tags. */
    static Optional<String> pinnedPrefix(Map<String, String> tags) {
        String value = tags.get(TAG);
        if (value == null) {
            return Optional.empty();
        }
        if (BUCKET_PIN.selects(ObjectFacts.of("", "").withBucketTags(() -> tags))) {
            return Optional.of("");
        }
        return value.startsWith(PIN + ":") ? Optional.of(value.substring(PIN.length() + 1)) : Optional.empty();
    }

    /** The prefix a bucket's tags pin, if any; a bucket whose tags cannot be read pins nothing. */
    Optional<String> bucketPin(String bucket) {
        Optional<String> rule = byBucket.get(bucket, b -> {
            try {
                return pinnedPrefix(bucketTags.apply(b));
            } catch (S3Exception e) {
                // Not kept: a failure to read the tags must not hide a pin for max-age. A remote
                // without bucket tagging (501) has no tags, though, and asking again is waste.
                return e.status() == 501 ? Optional.empty() : null;
            }
        });
        return rule == null ? Optional.empty() : rule;
    }

    /** Whether a bucket-wide rule pins the object: its bucket's tags, or a local pin. */
    boolean pinnedByBucket(ObjectId id) {
        for (String rule : local) {
            int slash = rule.indexOf('/');
            if (rule.substring(0, slash).equals(id.bucket()) && id.key().startsWith(rule.substring(slash + 1))) {
                return true;
            }
        }
        return bucketPin(id.bucket()).map(id.key()::startsWith).orElse(false);
    }

    /** The bucket's tags changed (through s3d): read them again next time. */
    void forget(String bucket) {
        byBucket.invalidate(bucket);
    }
}
