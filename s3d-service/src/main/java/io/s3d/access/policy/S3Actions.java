package io.s3d.access.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The S3 actions a bucket policy may name, with the resource each applies to (AWS's Service
 * Authorization Reference for Amazon S3). A policy's Action is checked against this list at PUT: a
 * name that is no S3 action is refused, as AWS refuses it, instead of matching nothing for ever.
 */
final class S3Actions {
    /** What an action acts on: a bucket ARN, an object ARN, or neither (account-level actions). */
    enum Target {
        BUCKET, OBJECT, ACCOUNT
    }

    private static final String BUCKET_ACTIONS = """
            CreateBucket DeleteBucket DeleteBucketPolicy DeleteBucketOwnershipControls DeleteBucketWebsite
            GetAccelerateConfiguration GetAnalyticsConfiguration GetBucketAcl GetBucketCORS GetBucketLocation
            GetBucketLogging GetBucketNotification GetBucketObjectLockConfiguration GetBucketOwnershipControls
            GetBucketPolicy GetBucketPolicyStatus GetBucketPublicAccessBlock GetBucketRequestPayment
            GetBucketTagging GetBucketVersioning GetBucketWebsite GetEncryptionConfiguration
            GetIntelligentTieringConfiguration GetInventoryConfiguration GetLifecycleConfiguration
            GetMetricsConfiguration GetReplicationConfiguration ListBucket ListBucketMultipartUploads
            ListBucketVersions PutAccelerateConfiguration PutAnalyticsConfiguration PutBucketAcl PutBucketCORS
            PutBucketLogging PutBucketNotification PutBucketObjectLockConfiguration PutBucketOwnershipControls
            PutBucketPolicy PutBucketPublicAccessBlock PutBucketRequestPayment PutBucketTagging
            PutBucketVersioning PutBucketWebsite PutEncryptionConfiguration PutIntelligentTieringConfiguration
            PutInventoryConfiguration PutLifecycleConfiguration PutMetricsConfiguration
            PutReplicationConfiguration GetBucketAbac PutBucketAbac
            """;
    private static final String OBJECT_ACTIONS = """
            AbortMultipartUpload BypassGovernanceRetention DeleteObject DeleteObjectTagging DeleteObjectVersion
            DeleteObjectVersionTagging GetObject GetObjectAcl GetObjectAttributes GetObjectLegalHold
            GetObjectRetention GetObjectTagging GetObjectTorrent GetObjectVersion GetObjectVersionAcl
            GetObjectVersionAttributes GetObjectVersionForReplication GetObjectVersionTagging
            GetObjectVersionTorrent InitiateReplication ListMultipartUploadParts ObjectOwnerOverrideToBucketOwner
            PutObject PutObjectAcl PutObjectLegalHold PutObjectRetention PutObjectTagging PutObjectVersionAcl
            PutObjectVersionTagging ReplicateDelete ReplicateObject ReplicateTags RestoreObject
            """;
    private static final String ACCOUNT_ACTIONS = """
            ListAllMyBuckets GetAccountPublicAccessBlock PutAccountPublicAccessBlock ListAccessPoints
            CreateJob ListJobs GetStorageLensConfiguration ListStorageLensConfigurations
            """;

    /** Lower-case {@code s3:name} to its name as AWS spells it and its target. */
    private static final Map<String, Entry> ACTIONS = new TreeMap<>();

    record Entry(String name, Target target) {
    }

    static {
        add(BUCKET_ACTIONS, Target.BUCKET);
        add(OBJECT_ACTIONS, Target.OBJECT);
        add(ACCOUNT_ACTIONS, Target.ACCOUNT);
    }

    private static void add(String names, Target target) {
        for (String name : names.trim().split("\\s+")) {
            ACTIONS.put(("s3:" + name).toLowerCase(Locale.ROOT), new Entry("s3:" + name, target));
        }
    }

    private S3Actions() {
    }

    /** The S3 actions {@code pattern} (with {@code *} and {@code ?}, any case) names; empty when none. */
    static List<Entry> matching(Glob pattern) {
        List<Entry> found = new ArrayList<>();
        for (Map.Entry<String, Entry> action : ACTIONS.entrySet()) {
            if (pattern.matches(action.getKey())) {
                found.add(action.getValue());
            }
        }
        return found;
    }
}
