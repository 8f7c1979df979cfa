package io.s3d.backend;

import java.time.Instant;
import java.util.Map;

/**
 * What is known about one stored object, apart from its bytes.
 *
 * @param key the object key
 * @param size content length in bytes
 * @param etag the entity tag without quotes (hex MD5 for a simple PUT, {@code md5-N} for multipart)
 * @param lastModified time the object was written
 * @param headers stored standard headers (lower-case names: content-type, content-encoding,
 *        content-disposition, content-language, cache-control, expires) and, for an object on a
 *        remote store, the remote's {@code x-amz-*} facts about it (version id, encryption, storage
 *        class, object lock, ...), answered with it as the remote answers them
 * @param userMetadata {@code x-amz-meta-*} values, keyed by the lower-case name without the prefix
 * @param checksums stored additional checksums, keyed by algorithm name (CRC32, CRC32C, ...), base64
 * @param tags the object's tag set, in insertion order
 * @param partsCount number of parts for a multipart object, 0 otherwise
 * @param generation identifies this write of the key (changes on every overwrite)
 */
public record ObjectMeta(String key, long size, String etag, Instant lastModified, Map<String, String> headers,
        Map<String, String> userMetadata, Map<String, String> checksums, Map<String, String> tags, int partsCount,
        String generation) {

    public ObjectMeta {
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
        checksums = Map.copyOf(checksums);
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    /** The content headers a new object written from this one takes over (not the remote's facts about this one). */
    public Map<String, String> contentHeaders() {
        Map<String, String> content = new java.util.LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!name.startsWith("x-amz-") && !name.startsWith(INTERNAL_PREFIX)) {
                content.put(name, value);
            }
        });
        return content;
    }

    public String quotedEtag() {
        return '"' + etag + '"';
    }

    public String contentType() {
        return headers.getOrDefault("content-type", "binary/octet-stream");
    }

    /** Facts the local store keeps about an object for itself, never sent as headers. */
    public static final String INTERNAL_PREFIX = "x-s3d-";
    /** The sizes of a multipart object's parts, comma-separated, for GET/HEAD with {@code partNumber}. */
    public static final String PART_SIZES = INTERNAL_PREFIX + "part-sizes";

    /** The byte range {@code [first, last]} of part {@code number} (1-based), when the part sizes are known. */
    public java.util.Optional<long[]> partRange(int number) {
        String sizes = headers.get(PART_SIZES);
        if (sizes == null) {
            return java.util.Optional.empty();
        }
        String[] each = sizes.split(",");
        if (number < 1 || number > each.length) {
            return java.util.Optional.empty();
        }
        long first = 0;
        for (int i = 0; i < number - 1; i++) {
            first += Long.parseLong(each[i]);
        }
        return java.util.Optional.of(new long[] {first, first + Long.parseLong(each[number - 1]) - 1});
    }

    /** The response header S3 names an object's version in; also how a stored version carries its id. */
    public static final String VERSION_ID = "x-amz-version-id";

    /** The version id ({@code null} for S3's null version), or absent when the object was stored without versioning. */
    public java.util.Optional<String> versionId() {
        return java.util.Optional.ofNullable(headers.get(VERSION_ID));
    }

    /** The same object with one more (or a replaced) header. */
    public ObjectMeta withHeader(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new ObjectMeta(key, size, etag, lastModified, more, userMetadata, checksums, tags, partsCount,
                generation);
    }

    public ObjectMeta withTags(Map<String, String> newTags) {
        return new ObjectMeta(key, size, etag, lastModified, headers, userMetadata, checksums, newTags, partsCount,
                generation);
    }
}
