package io.s3d.fuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What {@code /proc/mounts} says is mounted where. */
final class MountTable {
    static final Path PROC_MOUNTS = Path.of("/proc/mounts");

    /** One line: the source, the mount point and the file system type ({@code fuse.s3d} for ours). */
    record Entry(String source, String mountPoint, String type) {
        boolean isFuse() {
            return type.equals("fuse") || type.startsWith("fuse.") || type.equals("fuseblk");
        }
    }

    private MountTable() {
    }

    /** The entry mounted at {@code mountPoint} (the last one, which is what the path shows), if any. */
    static Optional<Entry> find(Path mountPoint) {
        try {
            return find(Files.readAllLines(PROC_MOUNTS), mountPoint.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + PROC_MOUNTS + ": " + e.getMessage(), e);
        }
    }

    static Optional<Entry> find(List<String> lines, String mountPoint) {
        Entry found = null;
        for (String line : lines) {
            String[] fields = line.split(" ");
            if (fields.length >= 3 && unescape(fields[1]).equals(mountPoint)) {
                found = new Entry(unescape(fields[0]), unescape(fields[1]), fields[2]);
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * The FUSE file system mounted on top at {@code mountPoint}, if any. Other mounts there (a bind
     * mount such as a Kubernetes hostPath volume, a tmpfs) are where a FUSE mount may go, not in its way.
     */
    static Optional<Entry> fuseAt(Path mountPoint) {
        return find(mountPoint).filter(Entry::isFuse);
    }

    /** The kernel writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
