package io.s3d.fuse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files the mount has open, by the handle number the kernel passes back, and for each path
 * the one {@link WrittenFile} its writers share (so {@code stat} and listings show a file being
 * written before it is stored, and a second open for writing joins the first).
 */
final class OpenFiles {
    private final AtomicLong next = new AtomicLong(1);
    private final Map<Long, FileHandle> handles = new ConcurrentHashMap<>();
    private final Map<FusePath, WrittenFile> written = new ConcurrentHashMap<>();
    private final PathLocks locks = new PathLocks();

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

    /** Runs {@code action} holding {@code path}'s lock (see {@link PathLocks}). */
    int locked(FusePath path, PathLocks.Action action) throws IOException {
        return locks.with(path, action);
    }

    /** The file open for writing at {@code path}, or null; a file unlinked while open has no path any more. */
    WrittenFile writer(FusePath path) {
        return written.get(path);
    }

    /** Makes {@code file} the one its path's later opens for writing join. */
    void register(WrittenFile file) {
        written.put(file.path(), file);
    }

    /** {@code file} no longer answers for its path (closed, unlinked, renamed over). */
    void unregister(WrittenFile file) {
        written.remove(file.path(), file);
    }

    /** A rename of an open file: it answers for {@code to} from now on. */
    void move(WrittenFile file, FusePath from, FusePath to) {
        written.remove(from, file);
        written.put(to, file);
    }

    /** Every file open for writing (not those unlinked while open). */
    List<WrittenFile> writing() {
        return new ArrayList<>(written.values());
    }

    /** The names of files being written directly in directory {@code dir}. */
    List<String> writtenIn(FusePath dir) {
        List<String> out = new ArrayList<>();
        if (dir.isRoot()) {
            return out;
        }
        for (FusePath p : written.keySet()) {
            if (p.key() == null || !p.bucket().equals(dir.bucket())) {
                continue;
            }
            String name = FusePath.entryName(dir.dirPrefix(), p.key());
            if (name != null) {
                out.add(name);
            }
        }
        return out;
    }
}
