package io.s3d.lifecycle;

import io.micrometer.core.instrument.MeterRegistry;
import io.s3d.backend.BucketInfo;
import io.s3d.backend.MultipartBackend.Upload;
import io.s3d.backend.MultipartBackend.UploadsPage;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.ObjectVersions;
import io.s3d.backend.S3Exception;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Carries out the lifecycle rules of every bucket of the local store, as of a given instant: it
 * streams each bucket's versions a page at a time (memory bounded by one page and one key's
 * versions) and its multipart uploads, and acts through the store's ordinary delete and abort
 * calls, so version history, journal and any protection of versions apply exactly as to a client's
 * request. Each action is logged (bucket, key, version, rule, action) and counted in
 * {@code s3d_lifecycle_actions_total{action}}; a refused action in {@code s3d_lifecycle_failures_total}.
 */
public final class LifecycleExecutor {
    private static final Logger LOG = Logger.getLogger(LifecycleExecutor.class);
    private static final int PAGE = 1000;

    /** What a lifecycle action did, as the {@code action} tag of the metrics names it. */
    public enum Action {
        /** A current version expired: deleted (unversioned bucket) or hidden behind a new delete marker. */
        EXPIRE("expire"),
        /** A noncurrent version removed for good (NoncurrentVersionExpiration). */
        EXPIRE_NONCURRENT("expire-noncurrent"),
        /** A delete marker that was the only version left of its key, removed. */
        REMOVE_EXPIRED_DELETE_MARKER("remove-expired-delete-marker"),
        /** A multipart upload aborted (AbortIncompleteMultipartUpload). */
        ABORT_UPLOAD("abort-upload");

        private final String tag;

        Action(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final ObjectBackend store;
    private final BucketLifecycles lifecycles;
    private final MeterRegistry registry;

    public LifecycleExecutor(ObjectBackend store, MeterRegistry registry) {
        this.store = store;
        this.lifecycles = new BucketLifecycles(store);
        this.registry = registry;
        for (Action action : Action.values()) {
            registry.counter("s3d.lifecycle.actions", "action", action.tag());
            registry.counter("s3d.lifecycle.failures", "action", action.tag());
        }
    }

    /** Applies every bucket's enabled rules as they stand at {@code now}; returns the number of actions taken. */
    public int run(Instant now) {
        int actions = 0;
        for (BucketInfo bucket : store.listBuckets()) {
            List<LifecycleRule> rules;
            try {
                rules = lifecycles.rules(bucket.name()).stream().filter(LifecycleRule::enabled).toList();
            } catch (S3Exception e) {
                continue; // deleted since it was listed
            }
            if (rules.isEmpty()) {
                continue;
            }
            try {
                actions += versions(bucket.name(), rules, now);
                actions += uploads(bucket.name(), rules, now);
            } catch (S3Exception e) {
                LOG.debugf("lifecycle: bucket %s: %s %s (deleted while its rules ran?)", bucket.name(), e.code(),
                        e.getMessage());
            }
        }
        return actions;
    }

    /** Walks the bucket's versions key by key (a key's versions may span pages), newest first. */
    private int versions(String bucket, List<LifecycleRule> rules, Instant now) {
        boolean anyVersionRule = rules.stream().anyMatch(r -> r.expiration().isPresent() || r.noncurrent().isPresent());
        if (!anyVersionRule) {
            return 0;
        }
        int actions = 0;
        String keyMarker = null;
        String versionIdMarker = null;
        List<ObjectVersions.Version> key = new ArrayList<>();
        ObjectVersions.Page page;
        do {
            page = store.listObjectVersions(bucket, new ObjectVersions.ListRequest("", null, keyMarker,
                    versionIdMarker, PAGE));
            for (ObjectVersions.Version version : page.versions()) {
                if (!key.isEmpty() && !key.get(0).key().equals(version.key())) {
                    actions += key(bucket, key, rules, now);
                    key.clear();
                }
                key.add(version);
            }
            keyMarker = page.nextKeyMarker();
            versionIdMarker = page.nextVersionIdMarker();
        } while (page.truncated());
        if (!key.isEmpty()) {
            actions += key(bucket, key, rules, now);
        }
        return actions;
    }

    /** Applies the rules to one key's versions (newest first); returns the number of actions taken. */
    private int key(String bucket, List<ObjectVersions.Version> all, List<LifecycleRule> rules, Instant now) {
        List<ObjectVersions.Version> versions = new ArrayList<>(all);
        ObjectVersions.Version current = versions.get(0);
        String key = current.key();
        int actions = 0;
        if (!current.deleteMarker() && expireCurrent(bucket, current, rules, now)) {
            return 1; // the key changed under this pass; its new noncurrent version starts its clock now
        }
        List<ObjectVersions.Version> kept = new ArrayList<>();
        kept.add(current);
        for (int i = 1; i < versions.size(); i++) {
            ObjectVersions.Version version = versions.get(i);
            Instant noncurrentSince = versions.get(i - 1).lastModified();
            int newerNoncurrent = i - 1;
            Optional<LifecycleRule> rule = rules.stream()
                    .filter(r -> r.noncurrent().isPresent())
                    .filter(r -> r.noncurrent().get().newerNoncurrentVersions().orElse(0) <= newerNoncurrent)
                    .filter(r -> !LifecycleDates.after(noncurrentSince, r.noncurrent().get().noncurrentDays())
                            .isAfter(now))
                    .filter(r -> version.deleteMarker() ? r.filter().matchesMarker(key)
                            : matches(r, bucket, version, version.versionId()))
                    .findFirst();
            if (rule.isPresent() && act(Action.EXPIRE_NONCURRENT, bucket, key, version.versionId(), rule.get(),
                    () -> store.deleteObjectVersion(bucket, key, version.versionId()))) {
                actions++;
            } else {
                kept.add(version);
            }
        }
        if (current.deleteMarker() && kept.size() == 1) {
            Optional<LifecycleRule> rule = rules.stream().filter(r -> r.filter().matchesMarker(key))
                    .filter(r -> r.removesExpiredMarkers() || r.expiration().flatMap(e -> e.days().isPresent()
                            ? Optional.of(LifecycleDates.after(current.lastModified(), e.days().getAsInt()))
                            : Optional.empty()).filter(due -> !due.isAfter(now)).isPresent())
                    .findFirst();
            if (rule.isPresent() && act(Action.REMOVE_EXPIRED_DELETE_MARKER, bucket, key, current.versionId(),
                    rule.get(), () -> store.deleteObjectVersion(bucket, key, current.versionId()))) {
                actions++;
            }
        }
        return actions;
    }

    /**
     * Expires the current version when a rule says it is due. The listing's view is checked against
     * the object as it is now (its tags as changed since, a newer write in between) before acting.
     */
    private boolean expireCurrent(String bucket, ObjectVersions.Version current, List<LifecycleRule> rules,
            Instant now) {
        ObjectMeta listed = current.meta();
        boolean candidate = rules.stream().anyMatch(r -> r.filter().matches(listed.key(), listed.size(),
                r.filter().tags()) && r.expiryOf(listed.lastModified()).filter(due -> !due.isAfter(now)).isPresent());
        if (!candidate) {
            return false;
        }
        ObjectMeta fresh;
        try {
            fresh = store.headObject(bucket, listed.key());
        } catch (S3Exception e) {
            return false; // gone since the listing
        }
        if (!fresh.lastModified().equals(listed.lastModified()) || !fresh.etag().equals(listed.etag())) {
            return false; // rewritten since the listing: the next pass judges the new version
        }
        Optional<LifecycleRule> due = rules.stream()
                .filter(r -> r.filter().matches(fresh.key(), fresh.size(), fresh.tags()))
                .filter(r -> r.expiryOf(fresh.lastModified()).filter(d -> !d.isAfter(now)).isPresent())
                .findFirst();
        return due.isPresent() && act(Action.EXPIRE, bucket, fresh.key(), current.versionId(), due.get(),
                () -> store.deleteObjectVersion(bucket, fresh.key(), null));
    }

    /** Whether a (noncurrent) object version falls under the rule's filter; its tags are read only when the filter names tags. */
    private boolean matches(LifecycleRule rule, String bucket, ObjectVersions.Version version, String versionId) {
        ObjectMeta meta = version.meta();
        if (!rule.filter().matches(meta.key(), meta.size(), rule.filter().tags())) {
            return false; // prefix or size already rule it out
        }
        if (rule.filter().tags().isEmpty()) {
            return true;
        }
        Map<String, String> tags;
        try {
            tags = store.getObjectTags(bucket, meta.key(), versionId);
        } catch (S3Exception e) {
            return false;
        }
        return rule.filter().matches(meta.key(), meta.size(), tags);
    }

    /** Aborts the uploads an AbortIncompleteMultipartUpload rule has made due. */
    private int uploads(String bucket, List<LifecycleRule> rules, Instant now) {
        List<LifecycleRule> abortRules = rules.stream().filter(r -> r.abortAfterDays().isPresent()).toList();
        if (abortRules.isEmpty()) {
            return 0;
        }
        int actions = 0;
        String keyMarker = null;
        String uploadIdMarker = null;
        UploadsPage page;
        do {
            page = store.listMultipartUploads(bucket, "", null, keyMarker, uploadIdMarker, PAGE);
            for (Upload upload : page.uploads()) {
                Optional<LifecycleRule> rule = abortRules.stream()
                        .filter(r -> upload.key().startsWith(r.filter().prefix()))
                        .filter(r -> !LifecycleDates.after(upload.initiated(), r.abortAfterDays().getAsInt())
                                .isAfter(now))
                        .findFirst();
                if (rule.isPresent() && act(Action.ABORT_UPLOAD, bucket, upload.key(), "upload " + upload.uploadId(),
                        rule.get(), () -> store.abortMultipartUpload(bucket, upload.key(), upload.uploadId()))) {
                    actions++;
                }
            }
            keyMarker = page.nextKeyMarker();
            uploadIdMarker = page.nextUploadIdMarker();
        } while (page.truncated());
        return actions;
    }

    /** Takes one action through the store; logs and counts it, or the refusal (object lock, a race). */
    private boolean act(Action action, String bucket, String key, String version, LifecycleRule rule,
            Runnable deletion) {
        try {
            deletion.run();
        } catch (S3Exception e) {
            registry.counter("s3d.lifecycle.failures", "action", action.tag()).increment();
            LOG.warnf("lifecycle: %s of %s/%s (%s) by rule '%s' refused: %s %s", action.tag(), bucket, key, version,
                    rule.id(), e.code(), e.getMessage());
            return false;
        }
        registry.counter("s3d.lifecycle.actions", "action", action.tag()).increment();
        LOG.infof("lifecycle: %s %s/%s (%s) by rule '%s'", action.tag(), bucket, key,
                version.startsWith("upload ") ? version : "version " + version, rule.id());
        return true;
    }
}
