package io.s3d.operator.syncfolder;

import java.time.Clock;
import java.util.ArrayList;
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
        List<Condition> previous = f.getStatus() == null ? null : f.getStatus().conditions;
        Long generation = f.getMetadata().getGeneration();
        List<Condition> out = new ArrayList<>();
        out.add(conditions.condition(previous, StatusFactory.READY, ready, rr, rm, generation));
        out.add(conditions.condition(previous, StatusFactory.PROGRESSING, progressing, pr, pm, generation));
        out.add(conditions.condition(previous, StatusFactory.DEGRADED, degraded, dr, dm, generation));
        return out;
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
