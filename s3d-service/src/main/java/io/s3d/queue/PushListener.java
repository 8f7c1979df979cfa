package io.s3d.queue;

import java.util.Map;

/**
 * Told when a queued operation on a key has reached the remote: the read cache drops its copy of
 * a written or deleted key, and pins or unpins by the tags that arrived.
 */
public interface PushListener {
    PushListener NONE = new PushListener() {
        @Override
        public void pushed(String bucket, String key, Map<String, String> tags) {
        }

        @Override
        public void tagsPushed(String bucket, String key, Map<String, String> tags) {
        }
    };

    /** A PUT (with these tags) or a DELETE (no tags) of the key is on the remote now. */
    void pushed(String bucket, String key, Map<String, String> tags);

    /** Only the key's tags changed on the remote. */
    void tagsPushed(String bucket, String key, Map<String, String> tags);
}
