package io.s3d.sync;

import io.s3d.backend.ListPage;
import io.s3d.backend.ListRequest;
import io.s3d.backend.ObjectBackend;
import io.s3d.backend.ObjectMeta;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists a bucket prefix, page by page, as relative paths. Keys ending in {@code /} are folder
 * markers and ignored; keys that cannot be a local path (an empty, {@code .} or {@code ..} segment,
 * a segment over 255 bytes, a NUL) or that name s3d's own files are returned apart, to be reported as skipped.
 */
final class RemoteLister {
    private static final int PAGE = 1000;
    /** The longest file name local file systems take (NAME_MAX): ext4, xfs, btrfs, tmpfs, NFS. */
    static final int MAX_NAME_BYTES = 255;

    /**
     * @param objects the syncable objects by relative path
     * @param unusable keys that cannot be synced
     */
    record Listing(Map<String, RemoteEntry> objects, List<String> unusable) {
    }

    private final ObjectBackend backend;
    private final SyncFolder folder;
    private final LocalScanner scanner;
    private final java.time.Duration pageDeadline;

    /** @param pageDeadline longest wait for one page (null: the remote client's own timeouts) */
    RemoteLister(ObjectBackend backend, SyncFolder folder, LocalScanner scanner, java.time.Duration pageDeadline) {
        this.backend = backend;
        this.folder = folder;
        this.scanner = scanner;
        this.pageDeadline = pageDeadline;
    }

    Listing list() {
        Map<String, RemoteEntry> objects = new HashMap<>();
        List<String> unusable = new ArrayList<>();
        String after = "";
        while (true) {
            ListPage page = backend.listObjects(folder.bucket(), new ListRequest(folder.prefix(), null, after, PAGE,
                    pageDeadline));
            for (ObjectMeta meta : page.objects()) {
                String path = meta.key().substring(folder.prefix().length());
                if (path.isEmpty() || path.endsWith("/")) {
                    continue;
                }
                if (!isLocalPath(path) || scanner.isReserved(path)) {
                    unusable.add(meta.key());
                    continue;
                }
                if (!folder.filter().accepts(path)) {
                    continue;
                }
                objects.put(path, new RemoteEntry(meta.size(), meta.etag(), meta.lastModified(),
                        meta.size() > folder.maxFileSize()));
            }
            if (!page.truncated() || page.nextStartAfter() == null || page.nextStartAfter().isEmpty()) {
                return new Listing(objects, unusable);
            }
            after = page.nextStartAfter();
        }
    }

    static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Whether a relative key can name a file under the folder, and only there (no name over 255 bytes). */
    static boolean isLocalPath(String path) {
        if (path.indexOf('\0') >= 0 || path.startsWith("/")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || utf8Length(segment) > MAX_NAME_BYTES) {
                return false;
            }
        }
        return true;
    }
}
