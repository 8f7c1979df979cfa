package io.s3d.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonClassDescription;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A folder on a PersistentVolumeClaim kept in sync with a bucket prefix by the pods of an
 * S3dGateway (the gateway's pods mount the claim and run the sync loop in-process).
 */
@Group("s3d.io")
@Version("v1alpha1")
@ShortNames("s3dsync")
@Categories("s3d")
@AdditionalPrinterColumn(name = "Gateway", jsonPath = ".spec.gateway", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Bucket", jsonPath = ".spec.bucket", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Direction", jsonPath = ".spec.direction", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Sync", jsonPath = ".status.lastSyncTime", type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
@JsonClassDescription("A folder on a PersistentVolumeClaim kept in sync with a bucket prefix by the s3d pod of an S3dGateway.")
public class SyncFolder extends CustomResource<SyncFolderSpec, SyncFolderStatus> implements Namespaced {

    @Override
    protected SyncFolderSpec initSpec() {
        return new SyncFolderSpec();
    }

    @Override
    protected SyncFolderStatus initStatus() {
        return new SyncFolderStatus();
    }
}
