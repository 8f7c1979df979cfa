package io.s3d.bench.load;

import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link S3Ops} through the AWS SDK for Java v2 (see {@link S3Clients} for its settings). */
public final class SdkOps implements S3Ops {

    private final S3Client s3;

    /** Wraps a client; closing this closes it. */
    public SdkOps(S3Client s3) {
        this.s3 = s3;
    }

    @Override
    public void createBucket(String bucket) {
        try {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 409) {
                throw e;
            }
        }
    }

    @Override
    public void put(String bucket, String key, long size) {
        RequestBody body = size <= (4 << 20)
                ? RequestBody.fromBytes(Content.bytes(key, (int) size))
                : RequestBody.fromContentProvider(() -> Content.stream(key, size), size, "application/octet-stream");
        s3.putObject(b -> b.bucket(bucket).key(key).contentLength(size), body);
    }

    @Override
    public long get(String bucket, String key, boolean range, long from, long length, byte[] buf) throws IOException {
        String r = range ? "bytes=" + from + "-" + (from + length - 1) : null;
        try (var in = s3.getObject(b -> b.bucket(bucket).key(key).range(r), ResponseTransformer.toInputStream())) {
            GetObjectResponse resp = in.response();
            if (resp.contentLength() != length) {
                throw new IOException("GET " + key + (range ? " " + r : "") + " answered " + resp.contentLength()
                        + " bytes, not " + length);
            }
            return Content.verify(key, from, length, (InputStream) in, buf);
        }
    }

    @Override
    public long head(String bucket, String key) {
        return s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
    }

    @Override
    public Page list(String bucket, String prefix, String token, int maxKeys) {
        ListObjectsV2Response r = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).maxKeys(maxKeys)
                .continuationToken(token));
        return new Page(r.keyCount(), Boolean.TRUE.equals(r.isTruncated()) ? r.nextContinuationToken() : null);
    }

    @Override
    public String describe() {
        return "AWS SDK v2 " + software.amazon.awssdk.core.util.VersionInfo.SDK_VERSION
                + " (Apache client, default checksums)";
    }

    @Override
    public void close() {
        s3.close();
    }
}
