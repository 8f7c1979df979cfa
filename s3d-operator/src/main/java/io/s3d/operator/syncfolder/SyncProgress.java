package io.s3d.operator.syncfolder;

/**
 * What a gateway's s3d reports of one sync folder (its health check in the {@code sync} group).
 *
 * @param healthy false when the folder's last sync pass failed
 * @param lastSyncTime end of the last completed pass (ISO-8601), null before the first
 * @param uploaded files uploaded since s3d started
 * @param downloaded files downloaded since s3d started
 * @param conflicts conflicts resolved since s3d started
 * @param lastError the last pass's error, when it failed
 */
public record SyncProgress(boolean healthy, String lastSyncTime, long uploaded, long downloaded, long conflicts,
        String lastError) {
}
