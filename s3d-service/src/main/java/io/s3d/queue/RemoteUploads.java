package io.s3d.queue;

import io.s3d.backend.ObjectBackend;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import io.s3d.remote.ObjectUploader;
import io.s3d.remote.RemoteUnreachableException;
import io.s3d.store.DurableFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The multipart uploads pushes open on the remote, one small file each in {@code uploads/},
 * written durably before the first part is sent and removed once the upload is completed or
 * aborted. An upload a {@code kill -9} or a lost link left open (its push died, or its abort
 * could not reach the remote) is a leftover: {@link #abortLeftovers()} aborts it on the remote —
 * at start-up and after pushes succeed (the remote is reachable again) — so no incomplete upload
 * stays behind, holding (and on AWS billing) its parts.
 */
final class RemoteUploads implements ObjectUploader.UploadLog {
    private static final Logger LOG = Logger.getLogger(RemoteUploads.class);
    private static final String SUFFIX = ".upload";

    private record Upload(String bucket, String key, String uploadId, Path file) {
    }

    private final Path dir;
    private final Map<String, Upload> open = new ConcurrentHashMap<>();
    /** Uploads of pushes running now: never aborted behind their back. */
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean cleaning = new AtomicBoolean();
    private ObjectBackend remote;

    RemoteUploads(Path dir) throws IOException {
        this.dir = DurableFiles.createDirectories(dir);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(this.dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!name.endsWith(SUFFIX)) {
                    Files.deleteIfExists(file); // a record a crash cut short: its upload never got a part
                    continue;
                }
                Properties p = new Properties();
                try {
                    p.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                } catch (IOException | IllegalArgumentException e) {
                    LOG.warnf("write queue: unreadable upload record %s removed (%s)", file, e.getMessage());
                    Files.deleteIfExists(file);
                    continue;
                }
                String uploadId = p.getProperty("uploadId");
                if (uploadId != null && p.getProperty("bucket") != null && p.getProperty("key") != null) {
                    open.put(uploadId, new Upload(p.getProperty("bucket"), p.getProperty("key"), uploadId, file));
                }
            }
        }
    }

    /** Where leftovers are aborted; set before the pushers start. */
    void abortOn(ObjectBackend remote) {
        this.remote = remote;
    }

    /** Open uploads known, the running pushes' included. */
    int openUploads() {
        return open.size();
    }

    @Override
    public void started(String bucket, String key, String uploadId) {
        active.add(uploadId);
        Properties p = new Properties();
        p.setProperty("bucket", bucket);
        p.setProperty("key", key);
        p.setProperty("uploadId", uploadId);
        StringWriter text = new StringWriter();
        String name = UUID.randomUUID().toString();
        Path file = dir.resolve(name + SUFFIX);
        try {
            p.store(text, null);
            Path staging = dir.resolve(name + ".tmp");
            DurableFiles.writeNew(staging, text.toString().getBytes(StandardCharsets.UTF_8));
            Files.move(staging, file, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the multipart upload of " + bucket + "/" + key + " in " + dir,
                    e);
        }
        open.put(uploadId, new Upload(bucket, key, uploadId, file));
    }

    @Override
    public void ended(String uploadId) {
        active.remove(uploadId);
        Upload upload = open.remove(uploadId);
        if (upload != null) {
            try {
                // Not fsynced: a record that comes back names an upload that is gone; aborting it is harmless.
                Files.deleteIfExists(upload.file());
            } catch (IOException e) {
                LOG.warnf("write queue: cannot remove upload record %s: %s", upload.file(), e.getMessage());
            }
        }
    }

    @Override
    public void abandoned(String uploadId) {
        active.remove(uploadId);
    }

    /** Whether some upload is open with no push behind it. */
    boolean hasLeftovers() {
        return open.size() > active.size();
    }

    /** Aborts, on the remote, the uploads no running push owns; those it cannot abort now stay for the next call. */
    void abortLeftovers() {
        if (remote == null || !hasLeftovers() || !cleaning.compareAndSet(false, true)) {
            return;
        }
        try {
            for (Upload upload : open.values()) {
                if (active.contains(upload.uploadId())) {
                    continue;
                }
                try {
                    remote.abortMultipartUpload(upload.bucket(), upload.key(), upload.uploadId());
                    LOG.infof("write queue: aborted the incomplete multipart upload of %s/%s left by an "
                            + "interrupted push", upload.bucket(), upload.key());
                } catch (RemoteUnreachableException e) {
                    return;
                } catch (S3Exception e) {
                    if (!S3ErrorCode.NO_SUCH_UPLOAD.code().equals(e.code())
                            && !S3ErrorCode.NO_SUCH_BUCKET.code().equals(e.code())) {
                        LOG.warnf("write queue: cannot abort the multipart upload %s of %s/%s yet: %s",
                                upload.uploadId(), upload.bucket(), upload.key(), e.getMessage());
                        continue;
                    }
                }
                ended(upload.uploadId());
            }
        } finally {
            cleaning.set(false);
        }
    }
}
