package io.s3d.api;

import io.s3d.api.xml.XmlRequest;
import io.s3d.api.xml.XmlWriter;
import io.s3d.backend.BucketInfo;
import io.s3d.backend.BucketNames;
import io.s3d.backend.ObjectBackend;

/** ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation. */
final class BucketHandler {
    private final ObjectBackend backend;
    private final String region;

    BucketHandler(ObjectBackend backend, String region) {
        this.backend = backend;
        this.region = region;
    }

    /** The requester's buckets, as AWS lists them (in open mode and in a gateway: all of them). */
    S3Response listBuckets(S3Request request) {
        io.s3d.access.Identity who = request.identity();
        XmlWriter xml = XmlWriter.document("ListAllMyBucketsResult");
        xml.start("Owner").element("ID", who.canonicalId()).element("DisplayName", who.displayName()).end("Owner");
        xml.start("Buckets");
        for (BucketInfo bucket : backend.listBuckets()) {
            if (who != io.s3d.access.Identities.OPEN_MODE_OWNER
                    && !who.canonicalId().equals(ownerOf(request, bucket.name()))) {
                continue;
            }
            xml.start("Bucket").element("Name", bucket.name())
                    .element("CreationDate", HttpDates.xml(bucket.creationDate()))
                    .element("BucketRegion", bucket.region()).end("Bucket");
        }
        xml.end("Buckets");
        return S3Response.xml(200, xml.finish("ListAllMyBucketsResult"));
    }

    private static String ownerOf(S3Request request, String bucket) {
        try {
            return request.owners(bucket).canonicalId();
        } catch (io.s3d.backend.S3Exception e) {
            return null; // deleted while listing
        }
    }

    S3Response createBucket(S3Request request) {
        BucketNames.check(request.bucket);
        byte[] body = request.smallBody(64 * 1024);
        if (body.length > 0) {
            // The location constraint is accepted whatever it names: s3d serves one region, and AWS's
            // global endpoint likewise accepts any constraint.
            XmlRequest.parse(body, "CreateBucketConfiguration");
        }
        String objectLock = request.header("x-amz-bucket-object-lock-enabled");
        backend.createBucket(request.bucket, objectLock != null && objectLock.trim().equalsIgnoreCase("true"));
        return S3Response.status(200).header("Location", "/" + request.bucket);
    }

    S3Response headBucket(S3Request request) {
        BucketInfo info = backend.headBucket(request.bucket);
        return S3Response.status(200).header("x-amz-bucket-region", info.region());
    }

    S3Response deleteBucket(S3Request request) {
        backend.deleteBucket(request.bucket);
        return S3Response.status(204);
    }

    S3Response location(S3Request request) {
        backend.headBucket(request.bucket);
        XmlWriter xml = XmlWriter.document("LocationConstraint");
        if (!region.equals("us-east-1")) {
            xml.text(region); // AWS answers an empty constraint for us-east-1
        }
        return S3Response.xml(200, xml.finish("LocationConstraint"));
    }

    S3Response getTagging(S3Request request) {
        java.util.Map<String, String> tags = backend.getBucketTags(request.bucket);
        if (tags.isEmpty()) {
            throw new io.s3d.backend.S3Exception(io.s3d.backend.S3ErrorCode.NO_SUCH_TAG_SET)
                    .withElements(java.util.Map.of("BucketName", request.bucket));
        }
        return S3Response.xml(200, Tagging.toXml(tags));
    }

    S3Response putTagging(S3Request request) {
        backend.headBucket(request.bucket);
        backend.putBucketTags(request.bucket, Tagging.fromXml(request.digestedSmallBody(256 * 1024), Tagging.MAX_BUCKET_TAGS));
        return S3Response.status(204);
    }

    S3Response deleteTagging(S3Request request) {
        backend.putBucketTags(request.bucket, java.util.Map.of());
        return S3Response.status(204);
    }
}
