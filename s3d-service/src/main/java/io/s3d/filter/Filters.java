package io.s3d.filter;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The filter policy in force: for each purpose the rules of its setting
 * ({@code S3D_WRITE_QUEUE_FILTER}, {@code S3D_READ_CACHE_FILTER}, {@code S3D_SYNC_FOLDER_FILTER},
 * a folder's own filter) and of the filter file, which replaces its rules on reload, and Open
 * Policy Agent when configured. An object is selected when every one of them selects it; one that
 * is not configured selects everything.
 */
public final class Filters {
    /** Filters that select everything: no settings, no file, no OPA. */
    public static final Filters NONE = new Filters(Map.of(), FilterFile.EMPTY, Optional.empty());

    private final Map<Purpose, RuleSet> settings;
    private final AtomicReference<FilterFile> file;
    private final Optional<PolicyDecider> opa;
    private volatile BucketTags bucketTags;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public Filters(Map<Purpose, RuleSet> settings, FilterFile file, Optional<PolicyDecider> opa) {
        this.settings = Map.copyOf(settings);
        this.file = new AtomicReference<>(file);
        this.opa = opa;
    }

    /** Where bucket tags come from (the remote, or the local store standalone), kept for {@code ttl}. */
    public void readBucketTagsFrom(Function<String, Map<String, String>> source, java.time.Duration ttl) {
        this.bucketTags = new BucketTags(source, ttl, java.time.Clock.systemUTC());
    }

    /** Whether {@code facts} is selected for {@code purpose} (the rules, then OPA). */
    public boolean selects(Purpose purpose, ObjectFacts facts) {
        ObjectFacts f = withBucketTags(facts);
        if (!settings.getOrDefault(purpose, RuleSet.ALL).selects(f) || !file.get().rules(purpose).selects(f)) {
            return false;
        }
        return opa.map(o -> o.allows(purpose, f)).orElse(true);
    }

    /** Whether a sync folder carries {@code facts}: the sync rules, the folder's own, the file's, OPA. */
    public boolean selectsForSync(String folder, RuleSet folderRules, ObjectFacts facts) {
        ObjectFacts f = withBucketTags(facts);
        if (!folderRules.selects(f) || !file.get().syncRules(folder).selects(f)) {
            return false;
        }
        return selects(Purpose.SYNC, f);
    }

    /** Whether some rule of the purpose looks at {@code source} (a caller gathers that fact first), or OPA decides. */
    public boolean needs(Purpose purpose, Source source) {
        return opa.isPresent() || settings.getOrDefault(purpose, RuleSet.ALL).uses(source)
                || file.get().rules(purpose).uses(source);
    }

    /** Whether the purpose has no rules and no OPA: everything is selected without looking. */
    public boolean selectsEverything(Purpose purpose) {
        return opa.isEmpty() && settings.getOrDefault(purpose, RuleSet.ALL).isEmpty()
                && file.get().rules(purpose).isEmpty();
    }

    /** The rules a purpose's setting gave, for logs and status. */
    public RuleSet setting(Purpose purpose) {
        return settings.getOrDefault(purpose, RuleSet.ALL);
    }

    /** The filter file's rules from now on (a reload). */
    public void replaceFile(FilterFile newFile) {
        file.set(newFile);
        generation.incrementAndGet();
    }

    /** Changes with every reload: a caller that remembers decisions forgets them when it moves. */
    public long generation() {
        return generation.get();
    }

    public FilterFile file() {
        return file.get();
    }

    public Optional<PolicyDecider> opa() {
        return opa;
    }

    /** The bucket's tags changed through s3d. */
    public void forgetBucketTags(String bucket) {
        BucketTags tags = bucketTags;
        if (tags != null) {
            tags.forget(bucket);
        }
    }

    /** {@code facts} with the bucket's tags from the bucket-tag cache (asked only when used). */
    public ObjectFacts withBucketTags(ObjectFacts facts) {
        BucketTags tags = bucketTags;
        if (tags == null || facts.bucket() == null) {
            return facts;
        }
        String bucket = facts.bucket();
        return facts.withBucketTags(() -> tags.of(bucket));
    }
}
