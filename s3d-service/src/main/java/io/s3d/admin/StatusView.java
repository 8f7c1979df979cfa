package io.s3d.admin;

import io.quarkus.qute.TemplateData;
import java.util.List;

/** What the status page shows, formatted for people; built from the same data as {@code GET /_s3d/status}. */
@TemplateData
record StatusView(String version, String mode, String uptime, String localDir, String diskFree, String diskTotal,
        RemoteView remote, QueueView queue, CacheView cache, List<FolderView> folders, FuseView fuse,
        List<BucketView> buckets, String bucketsError, Page page) {

    /** Who is looking and what the forms need. */
    @TemplateData
    record Page(boolean authRequired, String user, String csrf, String notice) {
    }

    @TemplateData
    record RemoteView(String endpoint, boolean reachable, String lastError) {
    }

    @TemplateData
    record QueueView(long items, String bytes, long parked, String oldestAge, long pushed, String lastError,
            List<ParkedView> parkedItems) {
    }

    @TemplateData
    record ParkedView(String bucket, String key, String op, String error) {
    }

    @TemplateData
    record CacheView(long entries, String bytes, String maxSize, String hitRatio, String byteHitRatio,
            long pinnedEntries, String pinnedBytes) {
    }

    @TemplateData
    record FolderView(String name, String localDir, String target, String state, String lastSync, long conflicts,
            long errors) {
    }

    @TemplateData
    record FuseView(String mountPoint, boolean mounted, long openFiles) {
    }

    @TemplateData
    record BucketView(String name, String objects) {
    }
}
