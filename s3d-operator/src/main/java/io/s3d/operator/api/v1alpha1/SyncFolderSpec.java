package io.s3d.operator.api.v1alpha1;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Desired state of a SyncFolder. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.gateway == oldSelf.gateway", message = "gateway is immutable: delete and recreate the SyncFolder", fieldPath = ".gateway")
@JsonClassDescription("Desired state of the folder: the gateway that runs the sync, the bucket prefix, the volume, the direction and the rules.")
public class SyncFolderSpec {

    @JsonPropertyDescription("Name of the S3dGateway (same namespace) whose pods run the sync.")
    @Required
    @Size(max = 253)
    public String gateway;

    @JsonPropertyDescription("Bucket to sync with.")
    @Required
    @Pattern("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    public String bucket;

    @JsonPropertyDescription("Key prefix inside the bucket; empty syncs the whole bucket.")
    @Default("")
    public String prefix = "";

    @JsonPropertyDescription("The volume holding the folder.")
    @Required
    public VolumeSpec volume;

    @JsonPropertyDescription("Both (two-way), UploadOnly (folder to bucket) or DownloadOnly (bucket to folder).")
    @Default("Both")
    public Direction direction = Direction.Both;

    @JsonPropertyDescription("Glob patterns of relative paths to sync; empty means everything.")
    public List<String> include;

    @JsonPropertyDescription("Glob patterns of relative paths never synced (applied after include).")
    public List<String> exclude;

    @JsonPropertyDescription("What wins when both sides changed since the last sync: NewerWins, LocalWins, RemoteWins "
            + "or KeepBoth (the remote copy is kept next to the local one with a .conflict suffix).")
    @Default("KeepBoth")
    public ConflictPolicy conflictPolicy = ConflictPolicy.KeepBoth;

    @JsonPropertyDescription("Seconds between two full scans (changes seen by the watcher sync sooner).")
    @Default("60")
    @Min(5)
    public Integer intervalSeconds = 60;

    @JsonPropertyDescription("Limits of one sync pass.")
    public Limits limits;

    /** Sync direction. */
    public enum Direction {
        Both, UploadOnly, DownloadOnly
    }

    /** Conflict resolution. */
    public enum ConflictPolicy {
        NewerWins, LocalWins, RemoteWins, KeepBoth
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "self.path.startsWith('/') && !self.path.contains('..')",
            message = "volume.path must be absolute inside the volume and must not contain '..'", fieldPath = ".path")
    public static class VolumeSpec {
        @JsonPropertyDescription("PersistentVolumeClaim holding the folder (same namespace). The gateway's pods mount it, "
                + "so it must be ReadWriteMany unless the gateway runs a single pod.")
        @Required
        public String claimName;

        @JsonPropertyDescription("Directory inside the volume.")
        @Default("/")
        @Size(max = 1024)
        public String path = "/";
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Limits {
        @JsonPropertyDescription("Files larger than this are skipped, e.g. 5G.")
        @Pattern("^[0-9]+[KMGT]?$")
        public String maxFileSize;

        @JsonPropertyDescription("Maximum number of files transferred per pass.")
        @Min(1)
        public Integer maxFilesPerPass;

        @JsonPropertyDescription("Maximum concurrent transfers.")
        @Min(1)
        public Integer concurrency;
    }
}
