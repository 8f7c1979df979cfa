package io.s3d.api;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which bucket and key a request addresses: virtual-hosted style ({@code bucket.<base-domain>})
 * when the Host names a bucket under the configured base domain, else path style
 * ({@code /bucket/key}). The key is the rest of the path, percent-decoded once and otherwise
 * untouched: {@code a/../b} and {@code //} are keys, not paths to normalise.
 */
record S3Address(String bucket, String key) {

    static S3Address parse(String host, String rawPath, Optional<String> baseDomain) {
        String virtualBucket = virtualHostBucket(host, baseDomain);
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        if (!path.startsWith("/")) {
            throw new S3Exception(S3ErrorCode.INVALID_URI);
        }
        if (virtualBucket != null) {
            String key = path.length() > 1 ? decode(path.substring(1), false) : null;
            return new S3Address(virtualBucket, key);
        }
        if (path.equals("/")) {
            return new S3Address(null, null);
        }
        int slash = path.indexOf('/', 1);
        String bucket = decode(slash < 0 ? path.substring(1) : path.substring(1, slash), false);
        String key = slash < 0 || slash == path.length() - 1 ? null : decode(path.substring(slash + 1), false);
        return new S3Address(bucket, key);
    }

    /** The bucket named by the Host header, or null for path-style requests. */
    static String virtualHostBucket(String host, Optional<String> baseDomain) {
        if (host == null || baseDomain.isEmpty()) {
            return null;
        }
        String name = host;
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.indexOf(']') < colon) {
            name = name.substring(0, colon);
        }
        name = name.toLowerCase(java.util.Locale.ROOT);
        String suffix = "." + baseDomain.get().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(suffix) && name.length() > suffix.length()) {
            return name.substring(0, name.length() - suffix.length());
        }
        return null;
    }

    /** Query parameters, decoded; the first value of a repeated name wins. */
    static Map<String, String> query(String rawQuery) {
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return query;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            query.putIfAbsent(name, value);
        }
        return query;
    }

    /** Strict percent-decoding to UTF-8; malformed escapes or bytes are InvalidURI. */
    static String decode(String raw, boolean plusIsSpace) {
        if (raw.indexOf('%') < 0 && (!plusIsSpace || raw.indexOf('+') < 0)) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new S3Exception(S3ErrorCode.INVALID_URI);
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new S3Exception(S3ErrorCode.INVALID_URI);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    encoded = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(encoded);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new S3Exception(S3ErrorCode.INVALID_URI);
        }
    }
}
