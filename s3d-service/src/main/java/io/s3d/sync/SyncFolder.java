package io.s3d.sync;

import io.s3d.config.S3dConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One sync folder's settings, checked: every bad value stops start-up with the key that holds it
 * and why.
 *
 * @param name the folder's name (the map key in {@code s3d.sync.folders."<name>"})
 * @param localDir the absolute local directory
 * @param bucket the bucket
 * @param prefix the key prefix, empty or ending in {@code /}
 * @param direction which way changes flow
 * @param policy what to do when both sides changed
 * @param interval time between full passes
 * @param filter include and exclude globs
 * @param maxFileSize larger files are skipped
 * @param maxFilesPerPass most transfers and deletions per pass
 * @param concurrency transfers in parallel
 * @param stateDir this folder's state directory
 */
public record SyncFolder(String name, Path localDir, String bucket, String prefix, Direction direction,
        ConflictPolicy policy, Duration interval, PathFilter filter, long maxFileSize, int maxFilesPerPass,
        int concurrency, Path stateDir) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    /**
     * Checks one folder's configuration.
     *
     * @param stateBase the directory holding every folder's state directory
     */
    static SyncFolder from(String name, S3dConfig.Sync.Folder c, Path stateBase) {
        return from(name, c, stateBase, io.s3d.filter.Filters.NONE);
    }

    /**
     * Checks one folder's configuration; the folder carries only the keys {@code filters} select for
     * sync (its own {@code filter}, {@code s3d.sync.filter}, the filter file's {@code sync:} and
     * {@code sync.<name>:} rules, OPA), beside its include/exclude globs.
     */
    static SyncFolder from(String name, S3dConfig.Sync.Folder c, Path stateBase, io.s3d.filter.Filters filters) {
        String key = "s3d.sync.folders.\"" + name + "\".";
        if (!NAME.matcher(name).matches()) {
            throw new IllegalStateException("s3d.sync.folders.\"" + name + "\": a folder name must be letters, digits, "
                    + "'.', '_' or '-' (it names the folder's state directory)");
        }
        String dir = c.localDir().map(String::trim).filter(d -> !d.isEmpty())
                .orElseThrow(() -> new IllegalStateException(key + "local-dir is missing: set the directory to sync"));
        Path localDir = Path.of(dir);
        if (!localDir.isAbsolute()) {
            throw new IllegalStateException(key + "local-dir must be an absolute path, not '" + dir + "'");
        }
        localDir = localDir.normalize();
        String bucket = c.bucket().map(String::trim).filter(b -> !b.isEmpty())
                .orElseThrow(() -> new IllegalStateException(key + "bucket is missing: set the bucket to sync with"));
        String prefix = c.prefix().map(String::trim).orElse("");
        if (prefix.startsWith("/")) {
            prefix = prefix.substring(1);
        }
        if (!prefix.isEmpty() && !prefix.endsWith("/")) {
            prefix = prefix + "/";
        }
        if (prefix.contains("//") || ("/" + prefix).contains("/../") || ("/" + prefix).contains("/./")) {
            throw new IllegalStateException(key + "prefix '" + prefix + "' has an empty, '.' or '..' segment");
        }
        Direction direction = Direction.parse(c.direction()).orElseThrow(() -> new IllegalStateException(
                key + "direction must be both, upload-only or download-only, not '" + c.direction() + "'"));
        ConflictPolicy policy = ConflictPolicy.parse(c.conflictPolicy()).orElseThrow(() -> new IllegalStateException(
                key + "conflict-policy must be keep-both, newer-wins, local-wins or remote-wins, not '"
                        + c.conflictPolicy() + "'"));
        if (c.interval().isNegative() || c.interval().isZero()) {
            throw new IllegalStateException(key + "interval must be positive, not " + c.interval());
        }
        long maxFileSize = c.maxFileSize().map(m -> m.asLongValue()).orElse(Long.MAX_VALUE);
        if (maxFileSize < 0) {
            throw new IllegalStateException(key + "max-file-size must not be negative");
        }
        int maxFiles = c.maxFilesPerPass().orElse(Integer.MAX_VALUE);
        if (maxFiles < 1) {
            throw new IllegalStateException(key + "max-files-per-pass must be at least 1, not " + maxFiles);
        }
        if (c.concurrency() < 1 || c.concurrency() > 256) {
            throw new IllegalStateException(key + "concurrency must be between 1 and 256, not " + c.concurrency());
        }
        io.s3d.filter.RuleSet folderRules;
        try {
            folderRules = io.s3d.filter.FilterParser.parseList(c.filter().orElse(""));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(key + "filter: " + e.getMessage(), e);
        }
        String keyPrefix = prefix;
        java.util.function.Predicate<String> rules = path -> filters.selectsForSync(name, folderRules,
                io.s3d.filter.ObjectFacts.of(bucket, keyPrefix + path));
        PathFilter filter;
        try {
            filter = PathFilter.of(c.include().orElse(List.of()), c.exclude().orElse(List.of()), rules);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalStateException(key + "include/exclude has a glob that cannot be read: " + e.getMessage());
        }
        if (Files.isSymbolicLink(localDir)) {
            // Following it would sync wherever it points to today; resolve it in the configuration instead.
            throw new IllegalStateException(key + "local-dir " + localDir + " is a symbolic link: give the real path");
        }
        if (!Files.isDirectory(localDir) && Files.exists(stateBase.resolve(name).resolve(SyncState.FILE))) {
            // It was synced before: its volume is probably not mounted. Recreating it empty would
            // download the whole prefix onto whatever lies below the mount point.
            throw new IllegalStateException(key + "local-dir " + localDir + " does not exist, but it was synced "
                    + "before (snapshot in " + stateBase.resolve(name) + "): is the volume mounted? Create the "
                    + "directory, or delete the snapshot to sync it afresh");
        }
        if (!Files.isDirectory(localDir)) {
            // A missing folder inside an existing directory (a fresh volume's sub-path) is created; a
            // missing parent too looks like an unmounted volume, which an uploading folder must not hide.
            Path parent = localDir.getParent();
            if (direction != Direction.DOWNLOAD_ONLY && (Files.exists(localDir) || parent == null
                    || !Files.isDirectory(parent))) {
                throw new IllegalStateException(key + "local-dir " + localDir + " does not exist (or is not a "
                        + "directory), nor does its parent: a folder that uploads needs them; is the volume mounted?");
            }
            try {
                Files.createDirectories(localDir);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(key + "local-dir " + localDir + " cannot be created: " + e.getMessage());
            }
        }
        return new SyncFolder(name, localDir, bucket, prefix, direction, policy, c.interval(), filter, maxFileSize,
                maxFiles, c.concurrency(), stateBase.resolve(name));
    }

    /** The object key of a relative path. */
    String key(String relativePath) {
        return prefix + relativePath;
    }
}
