package io.s3d.sync;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Lists the files of a local directory as relative paths, without following symbolic links. A file
 * written to within the settle time is marked {@link LocalEntry.Hold#UNSETTLED} (it may still be
 * being written); links and special files are {@link LocalEntry.Hold#NOT_A_FILE}. A directory that
 * cannot be read fails the scan: its files would otherwise look deleted.
 */
final class LocalScanner {
    /** Prefix of the files a download writes before it renames them into place. */
    static final String TEMP_PREFIX = ".s3d-sync-";
    static final String TEMP_SUFFIX = ".tmp";

    private final Path root;
    private final PathFilter filter;
    private final long maxFileSize;
    private final Duration settle;
    private final Optional<String> reserved;

    /**
     * @param reserved the relative path of the state directory when it lies inside the folder: never synced
     */
    LocalScanner(Path root, PathFilter filter, long maxFileSize, Duration settle, Optional<String> reserved) {
        this.root = root;
        this.filter = filter;
        this.maxFileSize = maxFileSize;
        this.settle = settle;
        this.reserved = reserved;
    }

    static boolean isTempName(String fileName) {
        return fileName.startsWith(TEMP_PREFIX) && fileName.endsWith(TEMP_SUFFIX);
    }

    /** Whether a relative path is s3d's own (state directory, download temp file) and never synced. */
    boolean isReserved(String relativePath) {
        String name = relativePath.substring(relativePath.lastIndexOf('/') + 1);
        return isTempName(name) || reserved.map(r -> relativePath.equals(r) || relativePath.startsWith(r + "/"))
                .orElse(false);
    }

    /**
     * Lists the folder. Temporary files of downloads cut off by a crash are added to {@code stale}
     * (never synced; the caller deletes them).
     */
    Map<String, LocalEntry> scan(Instant now, java.util.List<Path> stale) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException("local directory " + root + " does not exist (is the volume mounted?)");
        }
        long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long settleNanos = settle.toNanos();
        Map<String, LocalEntry> out = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && isReserved(relative(dir))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                String path = relative(file);
                if (isTempName(file.getFileName().toString()) && attrs.isRegularFile()) {
                    // Passes never overlap and downloads start after the scan: this one was cut off.
                    stale.add(file);
                    return FileVisitResult.CONTINUE;
                }
                if (isReserved(path) || !filter.accepts(path)) {
                    return FileVisitResult.CONTINUE;
                }
                long mtime = nanos(attrs);
                LocalEntry entry = LocalEntry.file(attrs.size(), mtime, inode(file, attrs));
                if (!attrs.isRegularFile()) {
                    entry = entry.held(LocalEntry.Hold.NOT_A_FILE);
                } else if (attrs.size() > maxFileSize) {
                    entry = entry.held(LocalEntry.Hold.TOO_LARGE);
                } else if (Math.abs(nowNanos - mtime) < settleNanos) {
                    // Written within the settle time (either way: a clock step must not hold a file forever).
                    entry = entry.held(LocalEntry.Hold.UNSETTLED);
                }
                out.put(path, entry);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return FileVisitResult.CONTINUE; // deleted while we walked: gone is what it is
                }
                throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof java.nio.file.NoSuchFileException)) {
                    throw new IOException("cannot list " + dir + ": " + e.getMessage(), e);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return out;
    }

    /** The file as it is now, for the check right before a transfer; empty when it is gone. */
    static Optional<LocalEntry> stat(Path file) throws IOException {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS);
            LocalEntry entry = LocalEntry.file(attrs.size(), nanos(attrs), inode(file, attrs));
            return Optional.of(attrs.isRegularFile() ? entry : entry.held(LocalEntry.Hold.NOT_A_FILE));
        } catch (java.nio.file.NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    private String relative(Path file) {
        Path rel = root.relativize(file);
        if (rel.getNameCount() == 1) {
            return rel.toString();
        }
        StringBuilder out = new StringBuilder();
        for (Path part : rel) {
            if (!out.isEmpty()) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    static long nanos(BasicFileAttributes attrs) {
        Instant t = attrs.lastModifiedTime().toInstant();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private static volatile boolean noUnixView;

    /**
     * The file's inode number ({@code st_ino}, without the device number: a remount keeps it), 0
     * when the file system has none. Read from the file key when it shows it (no extra call), else
     * as {@code unix:ino}.
     */
    static long inode(Path file, BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        if (key != null) {
            // The JDK's Unix file key prints as "(dev=<hex>,ino=<decimal>)".
            String text = key.toString();
            int at = text.indexOf("ino=");
            if (at >= 0) {
                int end = at + 4;
                while (end < text.length() && Character.isDigit(text.charAt(end))) {
                    end++;
                }
                try {
                    return Long.parseUnsignedLong(text, at + 4, end, 10);
                } catch (NumberFormatException notANumber) {
                    // read it as an attribute
                }
            }
        }
        if (noUnixView) {
            return 0;
        }
        try {
            Object ino = Files.getAttribute(file, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return ino instanceof Number n ? n.longValue() : 0;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            noUnixView = true;
            return 0;
        } catch (IOException | SecurityException e) {
            return 0;
        }
    }
}
