package io.s3d.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Decides, for every path, what a pass does, from the last-synced snapshot and what each side
 * holds now. Pure: no I/O, no clock.
 *
 * <p>A side "changed" a path when it differs from the snapshot (local: size or modification
 * time, not the inode alone; remote: ETag or size). Only a path in the snapshot can be "deleted":
 * a path missing on one side and never synced is new on the other. So a lost or fresh snapshot never deletes anything;
 * it makes every path present on both sides a conflict, which the transfer settles without copying
 * when both hold the same bytes.
 *
 * <ul>
 * <li>changed on one side only: copied to the other (a deletion is propagated);</li>
 * <li>changed on one side, deleted on the other: the changed file wins and is copied back;</li>
 * <li>changed on both: a conflict, resolved by the policy (see {@link Resolution});</li>
 * <li>deleted on both, or no longer selected by the filters: the snapshot forgets it;</li>
 * <li>held on either side (too large, not a regular file, still being written): left alone.</li>
 * </ul>
 * The direction drops what would flow the other way, and a one-way folder repairs its target: a
 * path deleted on the target side while the source is unchanged is copied again (a mirror's
 * deletion never flows back to the source). Safety: when a side that the plan would
 * propagate deletions from holds nothing at all, the pass is refused, as rclone bisync refuses to
 * sync against an empty path: an unmounted volume or a deleted prefix must not empty the other side.
 */
final class SyncPlanner {
    private SyncPlanner() {
    }

    enum Kind {
        UPLOAD, DOWNLOAD, DELETE_LOCAL, DELETE_REMOTE, CONFLICT, FORGET, SKIP, DEFER,
        /**
         * A download that cannot be a local file: a directory of that name is there (key {@code a}
         * with local {@code a/x}, or keys {@code a} and {@code a/x} both), or a file stands where a
         * directory would have to be (key {@code a/x} with local file {@code a}). Skipped and reported.
         */
        CLASH
    }

    /** Which version keeps the path in a conflict; the other one is kept too, elsewhere. */
    enum Resolution {
        /** The local file stays; the remote version is written next to it as a conflict copy. */
        KEEP_BOTH,
        /** The local version wins; the remote one is kept in the state directory. */
        LOCAL,
        /** The remote version wins; the local one is kept in the state directory. */
        REMOTE
    }

    /**
     * One thing to do.
     *
     * @param resolution for {@link Kind#CONFLICT} only
     */
    record Action(Kind kind, String path, LocalEntry local, RemoteEntry remote, StateEntry state,
            Resolution resolution) {
        /** Counts against max-files-per-pass: it moves or deletes data. */
        boolean transfers() {
            return kind == Kind.UPLOAD || kind == Kind.DOWNLOAD || kind == Kind.DELETE_LOCAL
                    || kind == Kind.DELETE_REMOTE || kind == Kind.CONFLICT;
        }
    }

    /**
     * What a pass does.
     *
     * @param actions every path's action (paths in sync have none)
     * @param refusal why the pass must not run, when it must not
     */
    record Plan(List<Action> actions, Optional<String> refusal) {
    }

    static Plan plan(Map<String, StateEntry> state, Map<String, LocalEntry> local, Map<String, RemoteEntry> remote,
            Direction direction, ConflictPolicy policy) {
        TreeSet<String> paths = new TreeSet<>(state.keySet());
        paths.addAll(local.keySet());
        paths.addAll(remote.keySet());
        TreeSet<String> localPaths = new TreeSet<>(local.keySet());
        TreeSet<String> remotePaths = new TreeSet<>(remote.keySet());
        List<Action> actions = new ArrayList<>();
        for (String path : paths) {
            Action action = decide(path, state.get(path), local.get(path), remote.get(path), direction, policy);
            if (action != null && action.kind() == Kind.DOWNLOAD && action.local() == null
                    && clashes(path, local, localPaths, remotePaths)) {
                action = new Action(Kind.CLASH, path, null, action.remote(), action.state(), null);
            }
            if (action != null) {
                actions.add(action);
            }
        }
        return new Plan(actions, refusal(state, local, remote, actions));
    }

    /**
     * Whether a new local file at {@code path} cannot be created: a file at one of its parent paths,
     * or a directory at the path itself (local files below it, or other keys below it to download).
     */
    private static boolean clashes(String path, Map<String, LocalEntry> local, TreeSet<String> localPaths,
            TreeSet<String> remotePaths) {
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
            if (local.containsKey(path.substring(0, slash))) {
                return true;
            }
        }
        return hasBelow(localPaths, path) || hasBelow(remotePaths, path);
    }

    private static boolean hasBelow(TreeSet<String> paths, String path) {
        String below = paths.ceiling(path + "/");
        return below != null && below.startsWith(path + "/");
    }

    private static Action decide(String path, StateEntry s, LocalEntry l, RemoteEntry r, Direction direction,
            ConflictPolicy policy) {
        if (l != null && l.hold() != null) {
            return new Action(l.hold() == LocalEntry.Hold.UNSETTLED ? Kind.DEFER : Kind.SKIP, path, l, r, s, null);
        }
        if (r != null && r.tooLarge()) {
            return new Action(Kind.SKIP, path, l, r, s, null);
        }
        if (s == null) {
            if (l != null && r != null) {
                return new Action(Kind.CONFLICT, path, l, r, null, resolve(policy, l, r));
            }
            if (l != null) {
                return direction.uploads() ? new Action(Kind.UPLOAD, path, l, null, null, null) : null;
            }
            return direction.downloads() ? new Action(Kind.DOWNLOAD, path, null, r, null, null) : null;
        }
        boolean localChanged = l == null || !l.matches(s);
        boolean remoteChanged = r == null || !r.matches(s);
        if (!localChanged && !remoteChanged) {
            return null;
        }
        if (l == null && r == null) {
            return new Action(Kind.FORGET, path, null, null, s, null);
        }
        if (localChanged && remoteChanged) {
            if (l == null) {
                // Deleted here, changed there: the changed version wins.
                return direction.downloads() ? new Action(Kind.DOWNLOAD, path, null, r, s, null)
                        : new Action(Kind.FORGET, path, null, r, s, null);
            }
            if (r == null) {
                return direction.uploads() ? new Action(Kind.UPLOAD, path, l, null, s, null)
                        : new Action(Kind.FORGET, path, l, null, s, null);
            }
            return new Action(Kind.CONFLICT, path, l, r, s, resolve(policy, l, r));
        }
        if (localChanged) {
            if (!direction.uploads()) {
                // download-only: a local edit stays, a local deletion is repaired from the bucket.
                return l == null ? new Action(Kind.DOWNLOAD, path, null, r, s, null) : null;
            }
            return new Action(l == null ? Kind.DELETE_REMOTE : Kind.UPLOAD, path, l, r, s, null);
        }
        if (!direction.downloads()) {
            // upload-only: a remote edit stays, a deleted object is uploaded again.
            return r == null ? new Action(Kind.UPLOAD, path, l, null, s, null) : null;
        }
        return new Action(r == null ? Kind.DELETE_LOCAL : Kind.DOWNLOAD, path, l, r, s, null);
    }

    static Resolution resolve(ConflictPolicy policy, LocalEntry l, RemoteEntry r) {
        return switch (policy) {
            case KEEP_BOTH -> Resolution.KEEP_BOTH;
            case LOCAL_WINS -> Resolution.LOCAL;
            case REMOTE_WINS -> Resolution.REMOTE;
            case NEWER_WINS -> {
                // S3 keeps Last-Modified to the second: compare at that grain, and keep both on a tie.
                long localSeconds = Math.floorDiv(l.mtimeNanos(), 1_000_000_000L);
                long remoteSeconds = r.lastModified().getEpochSecond();
                yield localSeconds > remoteSeconds ? Resolution.LOCAL
                        : localSeconds < remoteSeconds ? Resolution.REMOTE : Resolution.KEEP_BOTH;
            }
        };
    }

    private static Optional<String> refusal(Map<String, StateEntry> state, Map<String, LocalEntry> local,
            Map<String, RemoteEntry> remote, List<Action> actions) {
        boolean deletesRemote = actions.stream().anyMatch(a -> a.kind() == Kind.DELETE_REMOTE);
        boolean deletesLocal = actions.stream().anyMatch(a -> a.kind() == Kind.DELETE_LOCAL);
        if (deletesRemote && local.isEmpty()) {
            return Optional.of("the local directory looks empty, but " + state.size() + " file(s) were in sync: not "
                    + "deleting them from the bucket (is the volume mounted?). If they were really deleted, delete "
                    + "them from the bucket too, or remove the folder's sync state to start afresh");
        }
        if (deletesLocal && remote.isEmpty()) {
            return Optional.of("the bucket prefix looks empty, but " + state.size() + " file(s) were in sync: not "
                    + "deleting them locally (was the prefix deleted or the bucket replaced?). If they were really "
                    + "deleted, delete them locally too, or remove the folder's sync state to start afresh");
        }
        return Optional.empty();
    }
}
