package io.s3d.operator.syncfolder;

import java.time.Clock;
import java.util.List;

import io.fabric8.kubernetes.api.model.Condition;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.api.v1alpha1.SyncFolderStatus;
import io.s3d.operator.common.StatusFactory;

/** SyncFolder conditions; counts and lastSyncTime are carried over (s3d reports them, not the operator). */
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

    public SyncFolderStatus ready(SyncFolder folder, String mountPath, String message) {
        SyncFolderStatus s = base(folder);
        s.mountPath = mountPath;
        s.conditions = three(folder, true, "Realised", message, false, "Realised", message, false, "Realised", message);
        return s;
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
