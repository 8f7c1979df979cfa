package io.s3d.queue;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.remote.RemoteUnreachableException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which buckets the remote has, so a queued write to a bucket it does not have is answered
 * {@code NoSuchBucket} (as the remote would) instead of being acknowledged and parked. Answers
 * are remembered: "exists" for {@link #EXISTS_FOR}, "missing" for {@link #MISSING_FOR} (a bucket
 * another client creates is seen within seconds); past that, or on a miss, the remote is asked
 * again (HeadBucket). When the remote cannot be reached, or answers something else than yes or
 * no (AccessDenied to HeadBucket, say), the write is acknowledged as before: the queue exists for
 * outages, and the push parks the write with the remote's answer if the bucket is missing.
 */
final class RemoteBuckets {
    static final Duration EXISTS_FOR = Duration.ofMinutes(10);
    static final Duration MISSING_FOR = Duration.ofSeconds(5);
    /**
     * After an unreachable answer, writes are acknowledged without asking for this long: during an
     * outage, writes are not slowed down by a HeadBucket that cannot succeed.
     */
    static final Duration UNREACHABLE_FOR = Duration.ofSeconds(30);
    private static final int MAX_REMEMBERED = 10_000;

    private final ObjectBackend remote;
    private final Clock clock;
    private final Map<String, Long> existsUntil = new ConcurrentHashMap<>();
    private final Map<String, Long> missingUntil = new ConcurrentHashMap<>();
    private volatile long unreachableUntil;

    RemoteBuckets(ObjectBackend remote, Clock clock) {
        this.remote = remote;
        this.clock = clock;
    }

    /** Throws {@code NoSuchBucket} when the reachable remote does not have {@code bucket}. */
    void requireExisting(String bucket) {
        long now = clock.millis();
        if (existsUntil.getOrDefault(bucket, 0L) > now) {
            return;
        }
        if (missingUntil.getOrDefault(bucket, 0L) > now) {
            throw noSuchBucket(bucket);
        }
        if (unreachableUntil > now) {
            return;
        }
        try {
            remote.headBucket(bucket);
            created(bucket);
        } catch (RemoteUnreachableException e) {
            unreachableUntil = now + UNREACHABLE_FOR.toMillis();
        } catch (S3Exception e) {
            if (S3ErrorCode.NO_SUCH_BUCKET.code().equals(e.code())) {
                remember(missingUntil, bucket, now + MISSING_FOR.toMillis());
                existsUntil.remove(bucket);
                throw noSuchBucket(bucket);
            }
            // Any other answer says nothing about the bucket: the write is queued, the push tells.
        }
    }

    /** The remote has the bucket (it was created through s3d, or a push to it succeeded). */
    void created(String bucket) {
        missingUntil.remove(bucket);
        remember(existsUntil, bucket, clock.millis() + EXISTS_FOR.toMillis());
    }

    /** The remote said it does not have the bucket (deleted through s3d, or a push got NoSuchBucket). */
    void missing(String bucket) {
        existsUntil.remove(bucket);
        remember(missingUntil, bucket, clock.millis() + MISSING_FOR.toMillis());
    }

    private void remember(Map<String, Long> answers, String bucket, long until) {
        if (answers.size() >= MAX_REMEMBERED) {
            long now = clock.millis();
            answers.values().removeIf(t -> t <= now);
            if (answers.size() >= MAX_REMEMBERED) {
                answers.clear();
            }
        }
        answers.put(bucket, until);
    }

    private static S3Exception noSuchBucket(String bucket) {
        return new S3Exception(S3ErrorCode.NO_SUCH_BUCKET).withResource("/" + bucket)
                .withElements(Map.of("BucketName", bucket));
    }
}
