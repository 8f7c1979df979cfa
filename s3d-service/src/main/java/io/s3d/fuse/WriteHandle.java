package io.s3d.fuse;

import io.s3d.backend.ObjectBackend;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * A file open for writing: its bytes live in a {@link StagingFile} and are stored as one new
 * version on {@code flush} (every {@code close}), {@code fsync} and {@code release}, when anything
 * changed since the last store. A file created or truncated counts as changed, so an empty new
 * file is stored too.
 */
final class WriteHandle implements FileHandle {
    private FusePath path;
    private final StagingFile staging;
    private boolean dirty;
    private boolean discarded;
    private boolean failed;
    private Instant mtime = Instant.now();

    WriteHandle(FusePath path, StagingFile staging, boolean dirty) {
        this.path = path;
        this.staging = staging;
        this.dirty = dirty;
    }

    @Override
    public synchronized FusePath path() {
        return path;
    }

    @Override
    public synchronized int read(ByteBuffer into, long offset) throws IOException {
        return staging.read(into, offset);
    }

    synchronized int write(ByteBuffer bytes, long offset) throws IOException {
        int n = staging.write(bytes, offset);
        changed();
        return n;
    }

    synchronized void truncate(long size) throws IOException {
        staging.truncate(size);
        changed();
    }

    /** Copies this file's current bytes (stored or not) into {@code target}. */
    synchronized void copyInto(StagingFile target) throws IOException {
        target.copyFrom(staging);
    }

    /** A read-only view of the staged bytes that stays readable after this handle is closed. */
    synchronized WriterView view() {
        return new WriterView(this, staging.retain());
    }

    /** Gives {@code target} this file's content type and user metadata (not its bytes). */
    synchronized void keepMetadataIn(StagingFile target) {
        target.keepMetadataOf(staging);
    }

    synchronized long size() throws IOException {
        return staging.size();
    }

    synchronized Instant mtime() {
        return mtime;
    }

    /** A rename of the open file by another of its handles: later stores go to {@code target}. */
    synchronized void moveTo(FusePath target) {
        path = target;
        dirty = true;
    }

    /**
     * A rename of the open file: stores it at {@code target} and only then moves there, so a failed
     * store leaves the handle (and what its close stores) where it was.
     */
    synchronized void storeAs(ObjectBackend backend, FusePath target) throws IOException {
        staging.store(backend, target.bucket(), target.key());
        path = target;
        dirty = false;
        failed = false;
    }

    /** The file was unlinked while open: what is still written goes nowhere, as on a local disk. */
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
        if (!dirty || discarded) {
            return false;
        }
        try {
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
     * Whether the last store failed: its close or fsync already answered EIO, so the release that
     * follows does not try again behind the program's back (it wrote the file again, or gave up).
     */
    synchronized boolean failed() {
        return failed;
    }

    private void changed() {
        dirty = true;
        mtime = Instant.now();
    }

    @Override
    public synchronized void close() {
        staging.close();
    }
}
