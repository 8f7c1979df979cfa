package io.s3d.fuse;

import java.nio.charset.StandardCharsets;

/**
 * Where a path of the mount points in the store: the root ({@code /}), a bucket ({@code /photos}) or
 * a key in a bucket ({@code /photos/2024/a.jpg} is key {@code 2024/a.jpg} of bucket {@code photos}).
 * A directory inside a bucket is the key prefix {@code key + "/"}.
 *
 * <p>Not every key can be a file name. Keys with an empty segment ({@code a//b}, or a leading
 * {@code /}), a {@code .} or {@code ..} segment, or a segment longer than 255 bytes have no path:
 * listings leave them out ({@link #isFileName}), and they stay reachable through S3 only.
 *
 * @param bucket the bucket, or null for the root
 * @param key the key inside the bucket, or null for the bucket itself
 */
public record FusePath(String bucket, String key) {
    /** The longest file name Linux accepts, in bytes. */
    public static final int NAME_MAX = 255;

    public static final FusePath ROOT = new FusePath(null, null);

    /** The path libfuse hands over (absolute, no trailing slash, no empty or dot segments). */
    public static FusePath parse(String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return ROOT;
        }
        String rest = path.startsWith("/") ? path.substring(1) : path;
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return new FusePath(rest, null);
        }
        return new FusePath(rest.substring(0, slash), rest.substring(slash + 1));
    }

    public boolean isRoot() {
        return bucket == null;
    }

    public boolean isBucket() {
        return bucket != null && key == null;
    }

    /** The prefix that lists this directory's children: {@code ""} in a bucket, {@code key + "/"} below. */
    public String dirPrefix() {
        return key == null ? "" : key + "/";
    }

    /** The key of the marker object {@code mkdir} creates for this directory ({@code key + "/"}). */
    public String markerKey() {
        return key + "/";
    }

    /** The path of this entry's child {@code name}. */
    public FusePath child(String name) {
        if (isRoot()) {
            return new FusePath(name, null);
        }
        return new FusePath(bucket, key == null ? name : key + "/" + name);
    }

    /** The path as the mount shows it, for logs. */
    public String display() {
        return isRoot() ? "/" : "/" + bucket + (key == null ? "" : "/" + key);
    }

    /**
     * Whether one path segment can be a file name: not empty, not {@code .} or {@code ..}, at most
     * {@value #NAME_MAX} bytes of UTF-8, no NUL.
     */
    public static boolean isFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('\0') < 0
                && name.getBytes(StandardCharsets.UTF_8).length <= NAME_MAX;
    }

    /**
     * The name a listing entry takes in the directory listed with {@code prefix}: {@code key} is an
     * object key or a common prefix (ending in {@code /}) of that listing. Null when the entry has
     * no file name (the directory's own marker, or a key that cannot be a file name).
     */
    public static String entryName(String prefix, String key) {
        if (!key.startsWith(prefix)) {
            return null;
        }
        String name = key.substring(prefix.length());
        if (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return isFileName(name) && name.indexOf('/') < 0 ? name : null;
    }

    /** The longest key S3 accepts, in bytes of UTF-8. */
    public static final int KEY_MAX = 1024;

    /** Whether a segment is longer than {@value #NAME_MAX} bytes or the key longer than {@value #KEY_MAX}: ENAMETOOLONG. */
    public boolean isTooLong() {
        if (bucket != null && bucket.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            return true;
        }
        if (key == null) {
            return false;
        }
        if (key.getBytes(StandardCharsets.UTF_8).length > KEY_MAX) {
            return true;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                return true;
            }
        }
        return false;
    }

    /** Whether every segment of this path's key can be a file name (see the class comment). */
    public boolean isNameable() {
        if (key == null) {
            return true;
        }
        for (String segment : key.split("/", -1)) {
            if (!isFileName(segment)) {
                return false;
            }
        }
        return true;
    }
}
