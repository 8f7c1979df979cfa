package io.s3d.fuse;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file's POSIX attributes as they are kept in its object's user metadata, in the names and
 * formats s3fs-fuse uses (and rclone for {@code mtime}), so objects written by either tool show
 * their modes, owners and times through the mount, and the other way round:
 * <ul>
 * <li>{@code x-amz-meta-mode}: the whole {@code st_mode} in decimal, file type bits included
 * ({@code 33188} is a regular file {@code 0644}, {@code 41471} a symbolic link), as s3fs writes it;
 * <li>{@code x-amz-meta-uid}, {@code x-amz-meta-gid}: decimal numbers;
 * <li>{@code x-amz-meta-mtime}, {@code -atime}, {@code -ctime}: seconds since the epoch with an
 * optional fraction ({@code 1733600000.123456789}), as s3fs and rclone write them.
 * </ul>
 * Each is optional: a missing or unreadable value shows the mount's default (the configured owner
 * and mode bits, the object's Last-Modified).
 *
 * @param mode the whole st_mode, or null
 * @param uid owner, or null
 * @param gid group, or null
 * @param mtime modification time, or null
 * @param atime access time, or null
 * @param ctime change time, or null
 */
record PosixAttributes(Integer mode, Integer uid, Integer gid, Instant mtime, Instant atime, Instant ctime) {
    static final String MODE = "mode";
    static final String UID = "uid";
    static final String GID = "gid";
    static final String MTIME = "mtime";
    static final String ATIME = "atime";
    static final String CTIME = "ctime";
    static final int S_IFMT = 0170000;
    static final int S_IFLNK = 0120000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;

    static final PosixAttributes NONE = new PosixAttributes(null, null, null, null, null, null);

    /** What {@code userMetadata} (keys without the {@code x-amz-meta-} prefix, lower case) says. */
    static PosixAttributes of(Map<String, String> userMetadata) {
        if (userMetadata.isEmpty()) {
            return NONE;
        }
        return new PosixAttributes(number(userMetadata.get(MODE)), number(userMetadata.get(UID)),
                number(userMetadata.get(GID)), time(userMetadata.get(MTIME)), time(userMetadata.get(ATIME)),
                time(userMetadata.get(CTIME)));
    }

    /** Whether the mode marks a symbolic link. */
    boolean symlink() {
        return mode != null && (mode & S_IFMT) == S_IFLNK;
    }

    /** {@code userMetadata} with the mode bits changed ({@code chmod}); the file type bits stay {@code type}'s. */
    static Map<String, String> withMode(Map<String, String> userMetadata, int type, long mode) {
        Map<String, String> changed = new LinkedHashMap<>(userMetadata);
        changed.put(MODE, Long.toString(type | (mode & 07777)));
        return changed;
    }

    /** {@code userMetadata} with the owner changed ({@code chown}); -1 leaves that one as it is. */
    static Map<String, String> withOwner(Map<String, String> userMetadata, long uid, long gid) {
        Map<String, String> changed = new LinkedHashMap<>(userMetadata);
        if (uid != -1 && uid != 0xFFFFFFFFL) {
            changed.put(UID, Long.toString(uid));
        }
        if (gid != -1 && gid != 0xFFFFFFFFL) {
            changed.put(GID, Long.toString(gid));
        }
        return changed;
    }

    /** {@code userMetadata} with a time set (null leaves it as it is). */
    static Map<String, String> withTimes(Map<String, String> userMetadata, Instant atime, Instant mtime) {
        Map<String, String> changed = new LinkedHashMap<>(userMetadata);
        if (atime != null) {
            changed.put(ATIME, format(atime));
        }
        if (mtime != null) {
            changed.put(MTIME, format(mtime));
        }
        return changed;
    }

    /** {@code userMetadata} with the change time set to now (every change of bytes or attributes). */
    static Map<String, String> changedNow(Map<String, String> userMetadata) {
        Map<String, String> changed = new LinkedHashMap<>(userMetadata);
        changed.put(CTIME, format(Instant.now()));
        return changed;
    }

    /** Seconds since the epoch, with nanoseconds when there are any: {@code 1733600000} or {@code 1733600000.000000001}. */
    static String format(Instant t) {
        return t.getNano() == 0 ? Long.toString(t.getEpochSecond())
                : String.format("%d.%09d", t.getEpochSecond(), t.getNano());
    }

    private static Integer number(String value) {
        if (value == null) {
            return null;
        }
        try {
            long n = Long.parseLong(value.trim());
            return n < 0 || n > 0xFFFFFFFFL ? null : (int) n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant time(String value) {
        if (value == null) {
            return null;
        }
        try {
            BigDecimal seconds = new BigDecimal(value.trim());
            long whole = seconds.longValue();
            int nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).intValue();
            if (nanos < 0) {
                whole -= 1;
                nanos += 1_000_000_000;
            }
            return Instant.ofEpochSecond(whole, nanos);
        } catch (NumberFormatException | ArithmeticException | java.time.DateTimeException e) {
            return null;
        }
    }
}
