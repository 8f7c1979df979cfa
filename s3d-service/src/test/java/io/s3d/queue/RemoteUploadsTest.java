package io.s3d.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.backend.MultipartBackend;
import io.s3d.store.LocalStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of multipart uploads pushes open on the remote (a local store stands in for it here). */
class RemoteUploadsTest {
    @TempDir
    Path dir;

    private LocalStore remote;

    @BeforeEach
    void open() throws IOException {
        remote = LocalStore.open(dir.resolve("remote"), "us-east-1", 1000, 0);
        remote.createBucket("bucket");
    }

    private String openUpload(String key) {
        return remote.createMultipartUpload(new MultipartBackend.UploadSpec("bucket", key, Map.of(), Map.of(),
                Map.of(), java.util.Optional.empty(), java.util.Optional.empty()));
    }

    private int uploadsOnRemote() {
        return remote.listMultipartUploads("bucket", "", null, null, null, 1000).uploads().size();
    }

    @Test
    void anUploadLeftOpenByACrashIsAbortedAfterTheRestartButARunningPushsIsNot() throws IOException {
        RemoteUploads before = new RemoteUploads(dir.resolve("uploads"));
        String crashed = openUpload("crashed.bin");
        before.started("bucket", "crashed.bin", crashed);
        String completed = openUpload("completed.bin");
        before.started("bucket", "completed.bin", completed);
        before.ended(completed);
        remote.abortMultipartUpload("bucket", "completed.bin", completed);
        // kill -9 here: the crashed push's record is on disk.

        RemoteUploads after = new RemoteUploads(dir.resolve("uploads"));
        after.abortOn(remote);
        String running = openUpload("running.bin");
        after.started("bucket", "running.bin", running);
        assertThat(after.hasLeftovers()).isTrue();
        assertThat(uploadsOnRemote()).isEqualTo(2);

        after.abortLeftovers();

        assertThat(uploadsOnRemote()).as("only the running push's upload is left").isEqualTo(1);
        assertThat(after.hasLeftovers()).isFalse();
        assertThat(new RemoteUploads(dir.resolve("uploads")).openUploads()).isEqualTo(1);
    }

    @Test
    void anUploadAFailedPushCouldNotAbortIsAbortedLater() throws IOException {
        RemoteUploads uploads = new RemoteUploads(dir.resolve("uploads"));
        uploads.abortOn(remote);
        String id = openUpload("failed.bin");
        uploads.started("bucket", "failed.bin", id);
        uploads.abandoned(id);

        uploads.abortLeftovers();

        assertThat(uploadsOnRemote()).isZero();
        assertThat(uploads.openUploads()).isZero();
        assertThat(new RemoteUploads(dir.resolve("uploads")).openUploads()).isZero();
    }
}
