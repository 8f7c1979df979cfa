package io.s3d.remote;

import io.s3d.backend.ObjectMeta;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.Tag;

/** Object headers, metadata, tags and checksums between s3d's model and the SDK's. */
final class RemoteHeaders {
    private RemoteHeaders() {
    }

    static void apply(Map<String, String> headers, PutObjectRequest.Builder b) {
        b.contentType(headers.get("content-type")).contentEncoding(headers.get("content-encoding"))
                .contentDisposition(headers.get("content-disposition"))
                .contentLanguage(headers.get("content-language")).cacheControl(headers.get("cache-control"));
        String expires = headers.get("expires");
        if (expires != null) {
            b.overrideConfiguration(o -> o.putHeader("Expires", expires));
        }
    }

    static void apply(Map<String, String> headers, CreateMultipartUploadRequest.Builder b) {
        b.contentType(headers.get("content-type")).contentEncoding(headers.get("content-encoding"))
                .contentDisposition(headers.get("content-disposition"))
                .contentLanguage(headers.get("content-language")).cacheControl(headers.get("cache-control"));
        String expires = headers.get("expires");
        if (expires != null) {
            b.overrideConfiguration(o -> o.putHeader("Expires", expires));
        }
    }

    static void apply(Map<String, String> headers, CopyObjectRequest.Builder b) {
        b.contentType(headers.get("content-type")).contentEncoding(headers.get("content-encoding"))
                .contentDisposition(headers.get("content-disposition"))
                .contentLanguage(headers.get("content-language")).cacheControl(headers.get("cache-control"));
        String expires = headers.get("expires");
        if (expires != null) {
            b.overrideConfiguration(o -> o.putHeader("Expires", expires));
        }
    }

    /** The {@code x-amz-tagging} form of a tag set. */
    static String tagging(Map<String, String> tags) {
        return tags.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    static Map<String, String> checksums(String crc32, String crc32c, String crc64nvme, String sha1, String sha256) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "CRC32", crc32);
        put(out, "CRC32C", crc32c);
        put(out, "CRC64NVME", crc64nvme);
        put(out, "SHA1", sha1);
        put(out, "SHA256", sha256);
        return out;
    }

    private static void put(Map<String, String> out, String name, String value) {
        if (value != null && !value.isEmpty()) {
            out.put(name, value);
        }
    }

    static ObjectMeta meta(String key, HeadObjectResponse r) {
        String etag = RemoteBackend.Etag.unquote(r.eTag());
        return new ObjectMeta(key, r.contentLength() == null ? 0 : r.contentLength(), etag, r.lastModified(),
                standard(r.contentType(), r.contentEncoding(), r.contentDisposition(), r.contentLanguage(),
                        r.cacheControl(), r.expiresString()),
                lower(r.metadata()), checksums(r.checksumCRC32(), r.checksumCRC32C(), r.checksumCRC64NVME(),
                        r.checksumSHA1(), r.checksumSHA256()),
                Map.of(), r.partsCount() == null ? 0 : r.partsCount(), etag + "@" + r.lastModified());
    }

    /** Metadata of a GET answer; {@code size} is the whole object's (from Content-Range for a part). */
    static ObjectMeta meta(String key, GetObjectResponse r, long size) {
        String etag = RemoteBackend.Etag.unquote(r.eTag());
        return new ObjectMeta(key, size, etag, r.lastModified(),
                standard(r.contentType(), r.contentEncoding(), r.contentDisposition(), r.contentLanguage(),
                        r.cacheControl(), r.expiresString()),
                lower(r.metadata()), Map.of(), Map.of(), r.partsCount() == null ? 0 : r.partsCount(),
                etag + "@" + r.lastModified());
    }

    private static Map<String, String> lower(Map<String, String> metadata) {
        Map<String, String> out = new LinkedHashMap<>();
        metadata.forEach((k, v) -> out.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return out;
    }

    private static Map<String, String> standard(String contentType, String contentEncoding,
            String contentDisposition, String contentLanguage, String cacheControl, String expires) {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "content-type", contentType);
        put(out, "content-encoding", contentEncoding);
        put(out, "content-disposition", contentDisposition);
        put(out, "content-language", contentLanguage);
        put(out, "cache-control", cacheControl);
        put(out, "expires", expires);
        return out;
    }
}
