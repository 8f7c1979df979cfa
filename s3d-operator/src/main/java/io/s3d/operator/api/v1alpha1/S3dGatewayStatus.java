package io.s3d.operator.api.v1alpha1;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

/** Observed state of an S3dGateway. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonClassDescription("Observed state of the gateway, written by the operator: conditions (Ready, Progressing, Degraded and, when they apply, DataAtRisk, ServiceMonitor, FiltersValid), the endpoint and the pods.")
public class S3dGatewayStatus {

    @JsonPropertyDescription("The generation this status describes.")
    public Long observedGeneration;

    @JsonPropertyDescription("Ready, Progressing and Degraded, following the Kubernetes API conventions.")
    public List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("The in-cluster S3 endpoint clients use (http://localhost:33333 for sidecars).")
    public String endpoint;

    @JsonPropertyDescription("Desired number of s3d pods (the scale subresource's status replicas).")
    @StatusReplicas
    public Integer replicas;

    @JsonPropertyDescription("Label selector of the gateway's s3d pods (the scale subresource's selector, e.g. for an HPA).")
    @LabelSelector
    public String selector;

    @JsonPropertyDescription("Number of ready s3d pods.")
    public Integer readyReplicas;

    @JsonPropertyDescription("Hash of the rendered configuration (the s3d.io/config-hash pod annotation).")
    public String configHash;

    @JsonPropertyDescription("SyncFolders realised in this gateway's pods.")
    public List<String> syncFolders;
}
