package io.s3d.fuse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files the mount has open, by the handle number the kernel passes back, and for each path
 * the handle writing it (so {@code stat} and listings show a file being written before it is
 * stored).
 */
final class OpenFiles {
    private final AtomicLong next = new AtomicLong(1);
    private final Map<Long, FileHandle> handles = new ConcurrentHashMap<>();

    long add(FileHandle handle) {
        long id = next.getAndIncrement();
        handles.put(id, handle);
        return id;
    }

    FileHandle get(long id) {
        return handles.get(id);
    }

    FileHandle remove(long id) {
        return handles.remove(id);
    }

    int count() {
        return handles.size();
    }

    /** The most recently opened handle writing {@code path}, or null; a handle of an unlinked file writes no path. */
    WriteHandle writer(FusePath path) {
        WriteHandle found = null;
        long foundId = -1;
        for (Map.Entry<Long, FileHandle> e : handles.entrySet()) {
            if (e.getValue() instanceof WriteHandle w && !w.discarded() && w.path().equals(path)
                    && e.getKey() > foundId) {
                found = w;
                foundId = e.getKey();
            }
        }
        return found;
    }

    /** Every handle writing a file (not those of files unlinked while open). */
    List<WriteHandle> writing() {
        List<WriteHandle> out = new ArrayList<>();
        for (FileHandle h : handles.values()) {
            if (h instanceof WriteHandle w && !w.discarded()) {
                out.add(w);
            }
        }
        return out;
    }

    /** Every handle writing {@code path} (not those of a file unlinked while open). */
    List<WriteHandle> writers(FusePath path) {
        List<WriteHandle> out = new ArrayList<>();
        for (FileHandle h : handles.values()) {
            if (h instanceof WriteHandle w && !w.discarded() && w.path().equals(path)) {
                out.add(w);
            }
        }
        return out;
    }

    /** The names of files being written directly in directory {@code dir}. */
    List<String> writtenIn(FusePath dir) {
        List<String> out = new ArrayList<>();
        for (FileHandle h : handles.values()) {
            if (h instanceof WriteHandle w && !w.discarded()) {
                FusePath p = w.path();
                if (dir.isRoot() || p.key() == null || !p.bucket().equals(dir.bucket())) {
                    continue;
                }
                String name = FusePath.entryName(dir.dirPrefix(), p.key());
                if (name != null) {
                    out.add(name);
                }
            }
        }
        return out;
    }
}
