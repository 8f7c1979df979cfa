package io.s3d.access;

import io.s3d.access.acl.Acl;
import io.s3d.access.acl.AclXml;
import io.s3d.access.acl.Ownership;
import io.s3d.access.acl.PublicAccessBlock;
import io.s3d.store.AccessDocuments;
import io.s3d.store.LocalStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;

/**
 * What the local store keeps for access control: each bucket's ACL (and so its owner), ownership
 * controls and public access block, and the ACL (and owner) of each object version.
 */
@ApplicationScoped
public class BucketAccess implements PublicAccessSettings {
    static final String ACL_FILE = ".acl";
    static final String OWNERSHIP_FILE = ".ownership";
    static final String PUBLIC_ACCESS_BLOCK_FILE = ".public-access-block";

    private final AccessDocuments documents;
    private final Identities identities;

    @Inject
    public BucketAccess(LocalStore store, Identities identities) {
        this.documents = new AccessDocuments(store);
        this.identities = identities;
    }

    /** The bucket's ACL; a bucket created before owners were recorded belongs to the first configured identity. */
    public Acl bucketAcl(String bucket) {
        return documents.bucketDocument(bucket, ACL_FILE).map(xml -> AclXml.parse(xml, null))
                .orElseGet(() -> Acl.ownerOnly(identities.firstConfigured()));
    }

    public Identity bucketOwner(String bucket) {
        Acl acl = bucketAcl(bucket);
        return identities.byCanonicalId(acl.ownerId())
                .orElse(new Identity(null, acl.ownerId(), acl.ownerName()));
    }

    public void putBucketAcl(String bucket, Acl acl) {
        documents.putBucketDocument(bucket, ACL_FILE, AclXml.render(acl));
    }

    /** The ownership controls; empty for a bucket that has none (one from before 2023 in AWS's terms: ObjectWriter). */
    public Optional<Ownership> ownershipControls(String bucket) {
        return documents.bucketDocument(bucket, OWNERSHIP_FILE).map(Ownership::ofStored);
    }

    public Ownership ownership(String bucket) {
        return ownershipControls(bucket).orElse(Ownership.OBJECT_WRITER);
    }

    public void putOwnership(String bucket, Ownership ownership) {
        documents.putBucketDocument(bucket, OWNERSHIP_FILE, ownership.stored());
    }

    public void deleteOwnership(String bucket) {
        documents.deleteBucketDocument(bucket, OWNERSHIP_FILE);
    }

    public Optional<PublicAccessBlock> publicAccessBlockConfiguration(String bucket) {
        return documents.bucketDocument(bucket, PUBLIC_ACCESS_BLOCK_FILE).map(PublicAccessBlock::fromXml);
    }

    public PublicAccessBlock publicAccessBlock(String bucket) {
        return publicAccessBlockConfiguration(bucket).orElse(PublicAccessBlock.NONE);
    }

    public void putPublicAccessBlock(String bucket, PublicAccessBlock block) {
        documents.putBucketDocument(bucket, PUBLIC_ACCESS_BLOCK_FILE, block.toXml());
    }

    public void deletePublicAccessBlock(String bucket) {
        documents.deleteBucketDocument(bucket, PUBLIC_ACCESS_BLOCK_FILE);
    }

    @Override
    public boolean blocksPublicPolicy(String bucket) {
        return publicAccessBlock(bucket).blockPublicPolicy();
    }

    /** The ACL recorded for one write ({@code generation}) of a key, if any. */
    public Optional<Acl> objectAcl(String bucket, String key, String generation) {
        return documents.objectDocument(bucket, key, generation).map(xml -> AclXml.parse(xml, null));
    }

    public void putObjectAcl(String bucket, String key, String generation, Acl acl) {
        documents.putObjectDocument(bucket, key, generation, AclXml.render(acl));
    }

    /** True when an object ACL was ever recorded in the bucket (never, for buckets that only knew BucketOwnerEnforced). */
    public boolean keepsObjectAcls(String bucket) {
        return documents.keepsObjectDocuments(bucket);
    }

    /** Removes the ACL of a write that is gone (overwritten in an unversioned bucket, or deleted). */
    public void forgetObjectAcl(String bucket, String key, String generation) {
        documents.forgetObjectDocument(bucket, key, generation);
    }

    /** Keeps the ACL a CreateMultipartUpload asked for until the upload completes. */
    public void putUploadAcl(String bucket, String key, String uploadId, Acl acl) {
        documents.putObjectDocument(bucket, key, uploadGeneration(uploadId), AclXml.render(acl));
    }

    public Optional<Acl> uploadAcl(String bucket, String key, String uploadId) {
        return documents.objectDocument(bucket, key, uploadGeneration(uploadId)).map(xml -> AclXml.parse(xml, null));
    }

    public void forgetUploadAcl(String bucket, String key, String uploadId) {
        documents.forgetObjectDocument(bucket, key, uploadGeneration(uploadId));
    }

    private static String uploadGeneration(String uploadId) {
        return "upload:" + uploadId;
    }
}
