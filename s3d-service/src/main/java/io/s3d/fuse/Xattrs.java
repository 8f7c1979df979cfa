package io.s3d.fuse;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file's extended attributes as s3fs-fuse keeps them, so either tool reads the other's: one
 * user metadata entry, {@code x-amz-meta-xattr}, holding the URL-encoded JSON object
 * {@code {"user.name":"<base64 of the value>", ...}} (metadata values must be ASCII; names are
 * case-sensitive, which separate metadata keys would not be). Only the {@code user.} namespace is
 * kept; S3 allows 2 KB of user metadata per object in all, so few and small attributes fit.
 */
final class Xattrs {
    static final String KEY = "xattr";
    static final String NAMESPACE = "user.";
    /** S3's limit on the user metadata of one object (names and values, in bytes). */
    static final int MAX_METADATA_BYTES = 2048;

    private Xattrs() {
    }

    /** The attributes (name to value) kept in {@code userMetadata}; an unreadable entry reads as none. */
    static Map<String, byte[]> of(Map<String, String> userMetadata) {
        String stored = userMetadata.get(KEY);
        Map<String, byte[]> xattrs = new LinkedHashMap<>();
        if (stored == null || stored.isBlank()) {
            return xattrs;
        }
        try {
            String json = URLDecoder.decode(stored, StandardCharsets.UTF_8);
            for (Map.Entry<String, String> e : JsonStrings.parseObject(json).entrySet()) {
                xattrs.put(e.getKey(), Base64.getDecoder().decode(e.getValue()));
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return new LinkedHashMap<>();
        }
        return xattrs;
    }

    /** {@code userMetadata} holding {@code xattrs} instead of what it held (no entry when there are none). */
    static Map<String, String> with(Map<String, String> userMetadata, Map<String, byte[]> xattrs) {
        Map<String, String> changed = new LinkedHashMap<>(userMetadata);
        if (xattrs.isEmpty()) {
            changed.remove(KEY);
            return changed;
        }
        Map<String, String> encoded = new LinkedHashMap<>();
        xattrs.forEach((name, value) -> encoded.put(name, Base64.getEncoder().encodeToString(value)));
        changed.put(KEY, URLEncoder.encode(JsonStrings.writeObject(encoded), StandardCharsets.UTF_8)
                .replace("+", "%20"));
        return changed;
    }

    /** Whether {@code userMetadata} fits in what S3 allows one object. */
    static boolean fits(Map<String, String> userMetadata) {
        int bytes = 0;
        for (Map.Entry<String, String> e : userMetadata.entrySet()) {
            bytes += e.getKey().getBytes(StandardCharsets.UTF_8).length
                    + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes <= MAX_METADATA_BYTES;
    }

    /** The flat JSON objects of string values this format needs, written and read. */
    static final class JsonStrings {
        private JsonStrings() {
        }

        static String writeObject(Map<String, String> values) {
            StringBuilder out = new StringBuilder("{");
            values.forEach((name, value) -> {
                if (out.length() > 1) {
                    out.append(',');
                }
                string(out, name);
                out.append(':');
                string(out, value);
            });
            return out.append('}').toString();
        }

        private static void string(StringBuilder out, String s) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    out.append('\\').append(c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
            out.append('"');
        }

        /** Parses {@code {"a":"b",...}}; anything else is an IllegalArgumentException. */
        static Map<String, String> parseObject(String json) {
            Map<String, String> values = new LinkedHashMap<>();
            int[] at = {skip(json, 0)};
            expect(json, at, '{');
            if (peek(json, at) == '}') {
                at[0]++;
                return values;
            }
            while (true) {
                String name = parseString(json, at);
                expect(json, at, ':');
                values.put(name, parseString(json, at));
                char next = peek(json, at);
                at[0]++;
                if (next == '}') {
                    return values;
                }
                if (next != ',') {
                    throw new IllegalArgumentException("expected , or } at " + (at[0] - 1));
                }
            }
        }

        private static String parseString(String json, int[] at) {
            expect(json, at, '"');
            StringBuilder out = new StringBuilder();
            while (at[0] < json.length()) {
                char c = json.charAt(at[0]++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                char escaped = json.charAt(at[0]++);
                switch (escaped) {
                    case 'u' -> {
                        out.append((char) Integer.parseInt(json.substring(at[0], at[0] + 4), 16));
                        at[0] += 4;
                    }
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    default -> out.append(escaped);
                }
            }
            throw new IllegalArgumentException("unterminated string");
        }

        private static void expect(String json, int[] at, char c) {
            if (peek(json, at) != c) {
                throw new IllegalArgumentException("expected " + c + " at " + at[0]);
            }
            at[0]++;
        }

        private static char peek(String json, int[] at) {
            at[0] = skip(json, at[0]);
            if (at[0] >= json.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            return json.charAt(at[0]);
        }

        private static int skip(String json, int i) {
            while (i < json.length() && Character.isWhitespace(json.charAt(i))) {
                i++;
            }
            return i;
        }
    }
}
