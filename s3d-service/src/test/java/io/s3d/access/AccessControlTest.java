package io.s3d.access;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.access.acl.Acl;
import io.s3d.access.acl.CannedAclHeaders;
import io.s3d.access.acl.Grant;
import io.s3d.access.acl.Grantee;
import io.s3d.access.acl.Ownership;
import io.s3d.access.acl.Permission;
import io.s3d.access.acl.PublicAccessBlock;
import io.s3d.api.S3Operation;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.PutRequest;
import io.s3d.backend.S3Exception;
import io.s3d.backend.WriteCondition;
import io.s3d.store.LocalStore;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of access control on a real local store: owner, ACL grants, policy effects, public access block. */
class AccessControlTest {
    @TempDir
    Path dir;
    private LocalStore store;
    private Identities identities;
    private BucketAccess access;
    private PolicyEffect policy = PolicyEffect.NONE;
    private boolean publicPolicy;
    private AccessControl control;
    private PolicyDecider decider;
    private Identity alice;
    private Identity bob;

    @BeforeEach
    void open() throws Exception {
        store = LocalStore.open(dir, "us-east-1", 10_000, 0);
        Map<String, String> names = new LinkedHashMap<>();
        names.put("AKIAALICE", "alice");
        names.put("AKIABOB", "bob");
        identities = new Identities(names, false);
        alice = identities.of("AKIAALICE");
        bob = identities.of("AKIABOB");
        access = new BucketAccess(store, identities);
        decider = new PolicyDecider() {
            public PolicyEffect effect(AccessRequest request) {
                return policy;
            }

            public boolean isPublic(String bucket) {
                return publicPolicy;
            }
        };
        control = new AccessControl(identities, access, store, decider);
        store.createBucket("box");
        access.putOwnership("box", Ownership.OBJECT_WRITER);
        access.putBucketAcl("box", Acl.ownerOnly(alice));
    }

    private boolean allowed(Identity who, S3Operation operation, String key) {
        try {
            control.authorize(new AccessControl.Call(who, operation, "box", key, null, h -> null, Map.of(), false,
                    "127.0.0.1"));
            return true;
        } catch (S3Exception e) {
            assertThat(e.code()).isEqualTo("AccessDenied");
            return false;
        }
    }

    private ObjectMeta put(String key, Acl acl) {
        ObjectMeta meta = store.putObject(new PutRequest("box", key, new ByteArrayInputStream(new byte[] {1}), 1,
                Optional.empty(), Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
        access.putObjectAcl("box", key, meta.generation(), acl);
        return meta;
    }

    @Test
    void theOwnerMayEverythingOthersNothingByDefault() {
        put("k", Acl.ownerOnly(alice));
        for (S3Operation operation : List.of(S3Operation.LIST_OBJECTS_V2, S3Operation.GET_OBJECT,
                S3Operation.PUT_OBJECT, S3Operation.DELETE_BUCKET, S3Operation.PUT_BUCKET_ACL)) {
            assertThat(allowed(alice, operation, "k")).as(operation.name()).isTrue();
            assertThat(allowed(bob, operation, "k")).as(operation.name()).isFalse();
            assertThat(allowed(Identity.ANONYMOUS, operation, "k")).as(operation.name()).isFalse();
        }
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.LIST_BUCKETS, null)).isFalse();
        assertThat(allowed(bob, S3Operation.LIST_BUCKETS, null)).isTrue();
    }

    @Test
    void grantsGiveWhatTheyName() {
        access.putBucketAcl("box", new Acl(alice.canonicalId(), "alice", List.of(
                new Grant(Grantee.user(bob.canonicalId(), "bob"), Permission.READ))));
        assertThat(allowed(bob, S3Operation.LIST_OBJECTS, null)).isTrue();
        assertThat(allowed(bob, S3Operation.PUT_OBJECT, "k")).isFalse();
        assertThat(allowed(bob, S3Operation.GET_BUCKET_ACL, null)).isFalse();
        put("public", CannedAclHeaders.canned("public-read", alice, alice));
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.GET_OBJECT, "public")).isTrue();
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.GET_OBJECT_ACL, "public")).isFalse();
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.DELETE_OBJECT, "public")).isFalse();
        // A missing key: 404 for who may list the bucket, 403 for anyone else (as AWS).
        assertThat(allowed(bob, S3Operation.GET_OBJECT, "missing")).isTrue();
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.GET_OBJECT, "missing")).isFalse();
    }

    @Test
    void anObjectWriteWithoutARecordedAclIsTheBucketOwnersAlone() {
        ObjectMeta meta = put("k", CannedAclHeaders.canned("public-read", alice, alice));
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.GET_OBJECT, "k")).isTrue();
        store.putObject(new PutRequest("box", "k", new ByteArrayInputStream(new byte[] {2}), 1, Optional.empty(),
                Map.of(), Map.of(), Map.of(), Map::of, WriteCondition.NONE));
        assertThat(access.objectAcl("box", "k", meta.generation())).isPresent();
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.GET_OBJECT, "k")).as("the new write's ACL is not the old")
                .isFalse();
    }

    @Test
    void ownershipEnforcedDisablesGrants() {
        put("public", CannedAclHeaders.canned("public-read", alice, alice));
        access.putOwnership("box", Ownership.BUCKET_OWNER_ENFORCED);
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.GET_OBJECT, "public")).isFalse();
        assertThat(allowed(alice, S3Operation.GET_OBJECT, "public")).isTrue();
    }

    @Test
    void policyDenyWinsAndAllowCountsUnlessRestricted() {
        policy = PolicyEffect.DENY;
        assertThat(allowed(alice, S3Operation.LIST_OBJECTS, null)).as("even the owner").isFalse();
        policy = PolicyEffect.ALLOW;
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.LIST_OBJECTS, null)).isTrue();
        publicPolicy = true;
        access.putPublicAccessBlock("box", new PublicAccessBlock(false, false, false, true));
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.LIST_OBJECTS, null)).as("RestrictPublicBuckets").isFalse();
        assertThat(allowed(bob, S3Operation.LIST_OBJECTS, null)).isFalse();
        assertThat(allowed(alice, S3Operation.LIST_OBJECTS, null)).isTrue();
        assertThat(access.blocksPublicPolicy("box")).isFalse();
    }

    @Test
    void ignorePublicAclsMakesPublicGrantsCountForNothing() {
        put("public", CannedAclHeaders.canned("public-read", alice, alice));
        access.putPublicAccessBlock("box", new PublicAccessBlock(false, true, true, false));
        assertThat(allowed(Identity.ANONYMOUS, S3Operation.GET_OBJECT, "public")).isFalse();
        assertThat(access.blocksPublicPolicy("box")).isTrue();
    }

    @Test
    void aBucketWithoutARecordedOwnerIsTheFirstIdentitys() {
        store.createBucket("old");
        assertThat(access.bucketOwner("old")).isEqualTo(alice);
        assertThat(access.ownershipControls("old")).isEmpty();
    }

    @Test
    void openModeRefusesNothing() {
        AccessControl open = new AccessControl(new Identities(Map.of(), true), access, store, decider);
        open.authorize(new AccessControl.Call(Identity.ANONYMOUS, S3Operation.DELETE_BUCKET, "box", null, null,
                h -> null, Map.of(), false, "127.0.0.1"));
    }
}
