package io.s3d.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Maps one segment of an S3 key (the text between slashes) to a file name and back.
 *
 * <p>Why it is shaped so: any S3 key must work, yet no key may escape the store. Every byte
 * outside a small ASCII set is percent-encoded, so names are pure ASCII whatever the JVM's file
 * name encoding, never contain {@code /}, and the suffix ({@code .o} object, {@code .d} directory
 * of deeper keys, {@code .t} tag file) keeps them distinct from {@code .} and {@code ..} — the key
 * {@code a/../b} is stored as {@code a.d/...d/b.o}. A segment whose encoding would pass the file
 * system's 255-byte name limit is stored under a hash ({@code #<sha256>}); its real text is kept
 * inside (the object's trailer, or a {@code .name} file in the directory).
 */
final class KeyCodec {
    static final String OBJECT_SUFFIX = ".o";
    static final String DIR_SUFFIX = ".d";
    static final String TAGS_SUFFIX = ".t";
    static final char HASHED_MARK = '#';
    private static final int MAX_ENCODED = 240;
    private static final boolean[] SAFE = new boolean[128];

    static {
        for (char c = 'a'; c <= 'z'; c++) {
            SAFE[c] = true;
        }
        for (char c = 'A'; c <= 'Z'; c++) {
            SAFE[c] = true;
        }
        for (char c = '0'; c <= '9'; c++) {
            SAFE[c] = true;
        }
        for (char c : "-_.~!$&'()+,;=@ ".toCharArray()) {
            SAFE[c] = true;
        }
    }

    private KeyCodec() {
    }

    /** The base file name for a segment (without suffix): its encoding, or a hash when too long. */
    static String baseName(String segment) {
        String encoded = encode(segment);
        if (encoded.length() <= MAX_ENCODED) {
            return encoded;
        }
        return HASHED_MARK + sha256Hex(segment);
    }

    static boolean isHashed(String baseName) {
        return !baseName.isEmpty() && baseName.charAt(0) == HASHED_MARK;
    }

    static String encode(String segment) {
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder(bytes.length + 8);
        for (byte b : bytes) {
            int v = b & 0xff;
            if (v < 128 && SAFE[v]) {
                out.append((char) v);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(v >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(v & 0xf, 16)));
            }
        }
        return out.toString();
    }

    /** Decodes a non-hashed base name; returns null when the name is not one this codec wrote. */
    static String decode(String baseName) {
        if (baseName.indexOf('%') < 0) {
            return baseName;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(baseName.length());
        for (int i = 0; i < baseName.length(); i++) {
            char c = baseName.charAt(i);
            if (c == '%') {
                if (i + 2 >= baseName.length()) {
                    return null;
                }
                int hi = Character.digit(baseName.charAt(i + 1), 16);
                int lo = Character.digit(baseName.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String sha256Hex(String segment) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(segment.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
