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
 * @param partSizes the sizes of the parts a client uploaded this object in, in order, when s3d
 *        assembled it (empty otherwise): a push to the remote repeats them, so that the part
 *        checksums and the object's composite checksum come out as the client was told
 */
public record ObjectMeta(String key, long size, String etag, Instant lastModified, Map<String, String> headers,
        Map<String, String> userMetadata, Map<String, String> checksums, Map<String, String> tags, int partsCount,
        String generation, java.util.List<Long> partSizes) {

    /** An object whose part sizes s3d does not know (written whole, or read from a remote). */
    public ObjectMeta(String key, long size, String etag, Instant lastModified, Map<String, String> headers,
            Map<String, String> userMetadata, Map<String, String> checksums, Map<String, String> tags, int partsCount,
            String generation) {
        this(key, size, etag, lastModified, headers, userMetadata, checksums, tags, partsCount, generation,
                java.util.List.of());
    }

    public ObjectMeta {
        partSizes = java.util.List.copyOf(partSizes);
        headers = Map.copyOf(headers);
        userMetadata = Map.copyOf(userMetadata);
        checksums = Map.copyOf(checksums);
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    /** The content headers a new object written from this one takes over (not the remote's facts about this one). */
    public Map<String, String> contentHeaders() {
        Map<String, String> content = new java.util.LinkedHashMap<>();
        headers.forEach((name, value) -> {
            if (!name.startsWith("x-amz-")) {
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

    /** The byte range {@code [first, last]} of part {@code number} (1-based), when the part sizes are known. */
    public java.util.Optional<long[]> partRange(int number) {
        if (number < 1 || number > partSizes.size()) {
            return java.util.Optional.empty();
        }
        long first = 0;
        for (int i = 0; i < number - 1; i++) {
            first += partSizes.get(i);
        }
        return java.util.Optional.of(new long[] {first, first + partSizes.get(number - 1) - 1});
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
                generation, partSizes);
    }

    public ObjectMeta withTags(Map<String, String> newTags) {
        return new ObjectMeta(key, size, etag, lastModified, headers, userMetadata, checksums, newTags, partsCount,
                generation, partSizes);
    }
}
