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

    /**
     * The remote's facts about an object that are not its content headers, passed back with every
     * answer about it (from the remote, or from the read cache's copy): version id, encryption,
     * storage class, object lock, expiration, restore, replication, website redirect, checksum type,
     * tag count.
     */
    static final java.util.Set<String> OBJECT_FACTS = java.util.Set.of("x-amz-version-id", "x-amz-delete-marker",
            "x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id",
            "x-amz-server-side-encryption-bucket-key-enabled", "x-amz-server-side-encryption-customer-algorithm",
            "x-amz-server-side-encryption-customer-key-md5", "x-amz-storage-class", "x-amz-object-lock-mode",
            "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold", "x-amz-expiration",
            "x-amz-restore", "x-amz-replication-status", "x-amz-website-redirect-location",
            "x-amz-tagging-count");

    private static Map<String, String> withFacts(Map<String, String> headers,
            software.amazon.awssdk.http.SdkHttpResponse response) {
        if (response == null) {
            return headers;
        }
        response.headers().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (OBJECT_FACTS.contains(lower) && !values.isEmpty()) {
                headers.put(lower, String.join(",", values));
            }
        });
        return headers;
    }

    static ObjectMeta meta(String key, HeadObjectResponse r) {
        String etag = RemoteBackend.Etag.unquote(r.eTag());
        return new ObjectMeta(key, r.contentLength() == null ? 0 : r.contentLength(), etag, r.lastModified(),
                withFacts(standard(r.contentType(), r.contentEncoding(), r.contentDisposition(), r.contentLanguage(),
                        r.cacheControl(), r.expiresString()), r.sdkHttpResponse()),
                lower(r.metadata()), checksums(r.checksumCRC32(), r.checksumCRC32C(), r.checksumCRC64NVME(),
                        r.checksumSHA1(), r.checksumSHA256()),
                Map.of(), r.partsCount() == null ? 0 : r.partsCount(), etag + "@" + r.lastModified());
    }

    /** Metadata of a GET answer; {@code size} is the whole object's (from Content-Range for a part). */
    static ObjectMeta meta(String key, GetObjectResponse r, long size) {
        String etag = RemoteBackend.Etag.unquote(r.eTag());
        return new ObjectMeta(key, size, etag, r.lastModified(),
                withFacts(standard(r.contentType(), r.contentEncoding(), r.contentDisposition(), r.contentLanguage(),
                        r.cacheControl(), r.expiresString()), r.sdkHttpResponse()),
                lower(r.metadata()), checksums(r.checksumCRC32(), r.checksumCRC32C(), r.checksumCRC64NVME(),
                        r.checksumSHA1(), r.checksumSHA256()), Map.of(), r.partsCount() == null ? 0 : r.partsCount(),
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
