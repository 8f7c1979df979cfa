package io.s3d.operator.model;

import java.util.ArrayList;
import java.util.List;

import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.api.v1alpha1.SyncFolderSpec;

/** The SyncFolder CRD's rules, checked again by the operator (the mock and pre-CEL clusters do not run CEL). */
public final class SyncFolderChecks {
    private SyncFolderChecks() {
    }

    public static List<String> errors(SyncFolder folder) {
        List<String> errors = new ArrayList<>();
        SyncFolderSpec s = folder.getSpec();
        if (s == null) {
            errors.add("spec is required");
            return errors;
        }
        if (s.gateway == null || s.gateway.isBlank()) {
            errors.add("gateway is required");
        }
        if (s.bucket == null || !s.bucket.matches("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")) {
            errors.add("bucket must be a valid S3 bucket name");
        }
        if (s.volume == null || s.volume.claimName == null || s.volume.claimName.isBlank()) {
            errors.add("volume.claimName is required");
        } else {
            String path = s.volume.path == null ? "/" : s.volume.path;
            if (!path.startsWith("/") || path.contains("..")) {
                errors.add("volume.path must be absolute inside the volume and must not contain '..'");
            }
        }
        if (s.intervalSeconds != null && s.intervalSeconds < 5) {
            errors.add("intervalSeconds must be >= 5");
        }
        return errors;
    }
}
