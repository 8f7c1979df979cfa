package io.s3d.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;

/** Observed state of a SyncFolder. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Observed state of the folder, written by the operator from what the gateway's s3d reports: conditions, mount path, last sync time and counts.")
public class SyncFolderStatus {

    @JsonPropertyDescription("The generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing and Degraded, following the Kubernetes API conventions.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("Where the folder is mounted inside the gateway's s3d container.")
    public String mountPath;

    @JsonPropertyDescription("End of the last completed sync pass (reported by s3d).")
    public String lastSyncTime;

    @JsonPropertyDescription("Files uploaded since the sync started (reported by s3d).")
    public Long uploaded;

    @JsonPropertyDescription("Files downloaded since the sync started (reported by s3d).")
    public Long downloaded;

    @JsonPropertyDescription("Conflicts resolved since the sync started (reported by s3d).")
    public Long conflicts;
}
