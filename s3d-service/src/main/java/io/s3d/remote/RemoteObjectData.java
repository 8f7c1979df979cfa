package io.s3d.remote;

import io.s3d.backend.ObjectData;
import io.s3d.backend.ObjectMeta;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.io.InputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * An object being read from the remote: one GET (ranged when the client asked for a range) whose
 * body is handed out when the caller reads what was fetched; any other range is a second GET pinned
 * to the same version by {@code If-Match}.
 */
final class RemoteObjectData implements ObjectData {
    private final S3Client s3;
    private final String bucket;
    private final String key;
    /** The version asked for by id, or null for the current one. */
    private final String versionId;
    private final ObjectMeta meta;
    private final long fetchedOffset;
    private final long fetchedLength;
    private ResponseInputStream<GetObjectResponse> body;

    private RemoteObjectData(S3Client s3, String bucket, String key, String versionId,
            ResponseInputStream<GetObjectResponse> body, ObjectMeta meta, long fetchedOffset, long fetchedLength) {
        this.s3 = s3;
        this.versionId = versionId;
        this.bucket = bucket;
        this.key = key;
        this.body = body;
        this.meta = meta;
        this.fetchedOffset = fetchedOffset;
        this.fetchedLength = fetchedLength;
    }

    static RemoteObjectData open(S3Client s3, String bucket, String key, String versionId, String range) {
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = s3.getObject(b -> b.bucket(bucket).key(key).versionId(versionId).range(range)
                    .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED));
        } catch (SdkException e) {
            throw RemoteErrors.translate(e, S3ErrorCode.NO_SUCH_KEY);
        }
        Span span = Span.of(body.response());
        return new RemoteObjectData(s3, bucket, key, versionId, body, RemoteHeaders.meta(key, body.response(), span.size()),
                span.offset(), span.length());
    }

    /**
     * One GET for the read cache: {@code range} of the version {@code ifMatch} when given; null
     * when {@code ifNoneMatch} still matches (304 Not Modified).
     */
    static RemoteBackend.Fetched fetch(S3Client s3, String bucket, String key, String versionId, String range,
            String ifMatch, String ifNoneMatch, java.time.Duration deadline) {
        ResponseInputStream<GetObjectResponse> body;
        try {
            body = s3.getObject(b -> b.bucket(bucket).key(key).versionId(versionId).range(range)
                    .overrideConfiguration(o -> o.apiCallTimeout(deadline))
                    .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED)
                    .ifMatch(ifMatch == null ? null : '"' + ifMatch + '"')
                    .ifNoneMatch(ifNoneMatch == null ? null : '"' + ifNoneMatch + '"'));
        } catch (SdkException e) {
            S3Exception translated = RemoteErrors.translate(e, S3ErrorCode.NO_SUCH_KEY);
            if (translated.status() == 304) {
                return null;
            }
            throw translated;
        }
        GetObjectResponse r = body.response();
        Span span = Span.of(r);
        return new RemoteBackend.Fetched(RemoteHeaders.meta(key, r, span.size()), span.offset(), span.length(),
                r.tagCount() == null ? 0 : r.tagCount(), new AbortOnEarlyClose(body, span.length()));
    }

    /** Which bytes of how large an object a GET answer carries (from Content-Range for a part). */
    private record Span(long offset, long length, long size) {
        static Span of(GetObjectResponse r) {
            long length = r.contentLength() == null ? 0 : r.contentLength();
            long offset = 0;
            long size = length;
            String contentRange = r.contentRange();
            if (contentRange != null && contentRange.startsWith("bytes ")) {
                // bytes first-last/size
                String spec = contentRange.substring(6);
                int dash = spec.indexOf('-');
                int slash = spec.indexOf('/');
                if (dash > 0 && slash > dash) {
                    offset = Long.parseLong(spec.substring(0, dash).trim());
                    String total = spec.substring(slash + 1).trim();
                    size = total.equals("*") ? offset + length : Long.parseLong(total);
                }
            }
            return new Span(offset, length, size);
        }
    }

    @Override
    public ObjectMeta meta() {
        return meta;
    }

    @Override
    public synchronized InputStream open(long offset, long length) throws IOException {
        if (body != null && offset == fetchedOffset && length == fetchedLength) {
            InputStream fetched = new AbortOnEarlyClose(body, length);
            body = null;
            return fetched;
        }
        abortFetched();
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return new AbortOnEarlyClose(s3.getObject(RemoteBackend.rangedGet(bucket, key, versionId, meta.etag(), offset,
                    length)), length);
        } catch (SdkException e) {
            S3Exception translated = RemoteErrors.translate(e, S3ErrorCode.NO_SUCH_KEY);
            throw new IOException(translated.getMessage(), translated);
        }
    }

    private void abortFetched() {
        if (body != null) {
            body.abort();
            body = null;
        }
    }

    @Override
    public synchronized void close() {
        abortFetched();
    }

    /**
     * Closing a response stream before its end would drain the rest over the network to reuse the
     * connection (a 10 GiB object for a client that left); abort it instead.
     */
    private static final class AbortOnEarlyClose extends java.io.FilterInputStream {
        private final ResponseInputStream<GetObjectResponse> response;
        private long remaining;

        AbortOnEarlyClose(ResponseInputStream<GetObjectResponse> response, long length) {
            super(response);
            this.response = response;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            if (remaining > 0) {
                response.abort();
            }
            super.close();
        }
    }
}
