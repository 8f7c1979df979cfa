package io.s3d.queue;

/** Told when a queued write or delete of a key has reached the remote (the read cache drops its copy). */
@FunctionalInterface
public interface PushListener {
    PushListener NONE = (bucket, key) -> {
    };

    void pushed(String bucket, String key);
}
