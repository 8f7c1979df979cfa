package io.s3d.operator.syncfolder;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.Condition;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.api.v1alpha1.SyncFolderStatus;
import io.s3d.operator.common.StatusFactory;

/**
 * SyncFolder conditions. Counts and lastSyncTime come from the gateway's s3d ({@link SyncProgress});
 * when it cannot be read they are carried over from the previous status.
 */
public class SyncFolderStatusFactory {
    private final StatusFactory conditions;

    public SyncFolderStatusFactory(Clock clock) {
        this.conditions = new StatusFactory(clock);
    }

    public SyncFolderStatus degraded(SyncFolder folder, String reason, String message) {
        SyncFolderStatus s = base(folder);
        s.conditions = three(folder, false, reason, message, false, reason, message, true, reason, message);
        return s;
    }

    public SyncFolderStatus waiting(SyncFolder folder, String mountPath, String reason, String message) {
        SyncFolderStatus s = base(folder);
        s.mountPath = mountPath;
        s.conditions = three(folder, false, reason, message, true, reason, message, false, reason, message);
        return s;
    }

    public SyncFolderStatus ready(SyncFolder folder, String mountPath, String message, Optional<SyncProgress> progress) {
        SyncFolderStatus s = base(folder);
        s.mountPath = mountPath;
        progress.ifPresent(p -> report(s, p));
        s.conditions = three(folder, true, "Realised", message, false, "Realised", message, false, "Realised", message);
        return s;
    }

    /** The gateway runs the folder, but its last pass failed: s3d's error is the message. */
    public SyncFolderStatus syncFailing(SyncFolder folder, String mountPath, SyncProgress progress) {
        SyncFolderStatus s = base(folder);
        s.mountPath = mountPath;
        report(s, progress);
        String message = "the last sync pass failed: " + (progress.lastError() == null ? "no error reported" : progress.lastError());
        s.conditions = three(folder, false, "SyncFailing", message, false, "SyncFailing", message, true, "SyncFailing", message);
        return s;
    }

    private static void report(SyncFolderStatus s, SyncProgress p) {
        if (p.lastSyncTime() != null) {
            s.lastSyncTime = p.lastSyncTime();
        }
        s.uploaded = p.uploaded();
        s.downloaded = p.downloaded();
        s.conflicts = p.conflicts();
    }

    private List<Condition> three(SyncFolder f, boolean ready, String rr, String rm, boolean progressing, String pr,
            String pm, boolean degraded, String dr, String dm) {
        return conditions.readyProgressingDegraded(f.getStatus() == null ? null : f.getStatus().conditions,
                f.getMetadata().getGeneration(), ready, rr, rm, progressing, pr, pm, degraded, dr, dm);
    }

    private static SyncFolderStatus base(SyncFolder folder) {
        SyncFolderStatus s = new SyncFolderStatus();
        s.observedGeneration = folder.getMetadata().getGeneration();
        SyncFolderStatus old = folder.getStatus();
        if (old != null) {
            s.lastSyncTime = old.lastSyncTime;
            s.uploaded = old.uploaded;
            s.downloaded = old.downloaded;
            s.conflicts = old.conflicts;
        }
        return s;
    }
}
