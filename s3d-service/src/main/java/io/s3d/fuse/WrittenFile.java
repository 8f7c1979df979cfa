package io.s3d.fuse;

import io.s3d.backend.ObjectBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A file open for writing, shared by every open of it (several descriptors, several processes),
 * as on a local disk: its bytes live in one {@link StagingFile}, so whatever any writer wrote is
 * in it, and an {@code O_APPEND} write lands at the end as it is when the write arrives. It is
 * stored as one new version on {@code flush} (every {@code close}), {@code fsync} and the release
 * of its last writer, when anything changed since the last store. A file created or truncated
 * counts as changed, so an empty new file is stored too.
 */
final class WrittenFile {
    /** What {@code stat} shows of a file being written: its size, time and the attributes its next store writes. */
    record Attributes(long size, Instant mtime, PosixAttributes posix) {
    }

    private FusePath path;
    private final StagingFile staging;
    private int writers = 1;
    private boolean dirty;
    private boolean discarded;
    private boolean failed;
    private boolean closed;
    private Instant mtime;

    /** {@code mtime}: the stored file's time (opened to change it), or now (created or truncated). */
    WrittenFile(FusePath path, StagingFile staging, boolean dirty, Instant mtime) {
        this.path = path;
        this.staging = staging;
        this.dirty = dirty;
        this.mtime = mtime;
    }

    synchronized FusePath path() {
        return path;
    }

    /** One more writer (another open of the file for writing). */
    synchronized void attach() {
        if (closed) {
            throw new IllegalStateException("file " + path.display() + " is closed");
        }
        writers++;
    }

    /** One writer fewer; true when it was the last one (the caller stores and closes the file). */
    synchronized boolean detach() {
        return --writers == 0;
    }

    synchronized int read(ByteBuffer into, long offset) throws IOException {
        return staging.read(into, offset);
    }

    synchronized int write(ByteBuffer bytes, long offset) throws IOException {
        int n = staging.write(bytes, offset);
        changed();
        return n;
    }

    /** Writes at the current end (O_APPEND): the end at this moment, whatever the kernel thought it was. */
    synchronized int append(ByteBuffer bytes) throws IOException {
        return write(bytes, staging.size());
    }

    synchronized void truncate(long size) throws IOException {
        staging.truncate(size);
        changed();
    }

    /** Its size and time now, or null once it was closed (its last writer released it meanwhile). */
    synchronized Attributes attributes() throws IOException {
        return closed ? null : new Attributes(staging.size(), mtime, PosixAttributes.of(staging.userMetadata()));
    }

    /** A read-only view of the staged bytes that stays readable after the file is closed; null once closed. */
    synchronized WriterView view() {
        return closed ? null : new WriterView(this, staging.retain());
    }

    /**
     * A rename of the open file: stores it at {@code target} and only then moves there, so a failed
     * store leaves it (and what its close stores) where it was.
     */
    synchronized void storeAs(ObjectBackend backend, FusePath target) throws IOException {
        stampMetadata();
        staging.store(backend, target.bucket(), target.key());
        path = target;
        dirty = false;
        failed = false;
    }

    /** The file was unlinked (or renamed over) while open: what is still written goes nowhere, as on a local disk. */
    synchronized void discard() {
        discarded = true;
    }

    synchronized boolean discarded() {
        return discarded;
    }

    /**
     * Stores the file when it changed since the last store; returns once the store acknowledged it,
     * true when it stored.
     */
    synchronized boolean store(ObjectBackend backend) throws IOException {
        if (!dirty || discarded || closed) {
            return false;
        }
        try {
            stampMetadata();
            staging.store(backend, path.bucket(), path.key());
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw e;
        }
        dirty = false;
        failed = false;
        return true;
    }

    /**
     * Whether the last store failed: a close or fsync already answered EIO, so the last release
     * does not try again behind the program's back (it wrote the file again, or gave up).
     */
    synchronized boolean failed() {
        return failed;
    }

    /** Its user metadata as the next store writes it (metadata; the staging copy keeps it). */
    synchronized java.util.Map<String, String> userMetadata() {
        return PosixAttributes.withTimes(staging.userMetadata(), null, mtime);
    }

    /**
     * Changes the user metadata its next store writes (chmod, chown, utimens, xattrs of an open
     * file): stored at its next close, with its bytes, as one new version.
     */
    synchronized void changeMetadata(java.util.function.UnaryOperator<java.util.Map<String, String>> change) {
        java.util.Map<String, String> changed = change.apply(userMetadata());
        staging.userMetadata(changed);
        Instant set = PosixAttributes.of(changed).mtime();
        if (set != null) {
            mtime = set;
        }
        dirty = true;
    }

    /** Writes the file's time and the change time into the metadata the store writes. */
    private void stampMetadata() {
        staging.userMetadata(PosixAttributes.changedNow(userMetadata()));
    }

    private void changed() {
        dirty = true;
        mtime = Instant.now();
    }

    /** After the last writer's release: the staging file goes once no reader views it any more. */
    synchronized void close() {
        if (!closed) {
            closed = true;
            staging.close();
        }
    }
}
