package io.s3d.operator.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.databind.node.TextNode;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.s3d.operator.api.v1alpha1.S3dGateway;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.api.v1alpha1.S3dGatewayStatus;
import io.s3d.operator.api.v1alpha1.SyncFolder;
import io.s3d.operator.api.v1alpha1.SyncFolderSpec;
import io.s3d.operator.api.v1alpha1.SyncFolderStatus;

/**
 * What the Kubernetes API conventions ask of a CRD and the fabric8 generator cannot express from
 * annotations; applied to the generated CRDs at build time ({@code quarkus.operator-sdk.crd.post-processor}):
 * <ul>
 * <li>descriptions of the resource and of its top-level {@code spec} and {@code status} (the fields
 * live in fabric8's base class; the text is each type's {@link JsonClassDescription});</li>
 * <li>{@code status.conditions} as {@code metav1.Condition}: required {@code type}, {@code status},
 * {@code lastTransitionTime}, {@code reason}, {@code message}, the same patterns and bounds, and a
 * list keyed by {@code type} ({@code x-kubernetes-list-type: map}), so a patch merges conditions
 * by type;</li>
 * <li>descriptions of the fields of embedded Kubernetes types ({@code affinity}, {@code tolerations},
 * {@code resources}, ...), which fabric8's model carries without them ({@link KubernetesDescriptions});</li>
 * <li>printer columns in the order they are declared on the class (the generator sorts them by
 * JSON path, which put Age first; kubectl shows Age last).</li>
 * </ul>
 * Never loaded at run time: only the CRD generator (in the build) knows its interface.
 */
public class CrdConventions implements CRDPostProcessor {

    private record Kind(Class<?> resource, Class<?> spec, Class<?> status) {
    }

    private static final Map<String, Kind> KINDS = Map.of(
            "S3dGateway", new Kind(S3dGateway.class, S3dGatewaySpec.class, S3dGatewayStatus.class),
            "SyncFolder", new Kind(SyncFolder.class, SyncFolderSpec.class, SyncFolderStatus.class));

    @Override
    public HasMetadata process(HasMetadata resource, String crdSpecVersion) {
        if (!(resource instanceof CustomResourceDefinition crd)) {
            return resource;
        }
        Kind kind = KINDS.get(crd.getSpec().getNames().getKind());
        if (kind == null) {
            return resource;
        }
        for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
            JSONSchemaProps root = version.getSchema().getOpenAPIV3Schema();
            root.setDescription(description(kind.resource()));
            root.getProperties().get("spec").setDescription(description(kind.spec()));
            JSONSchemaProps status = root.getProperties().get("status");
            status.setDescription(description(kind.status()));
            conditions(status.getProperties().get("conditions"));
            KubernetesDescriptions.describe(kind.spec(), root.getProperties().get("spec"));
            KubernetesDescriptions.describe(kind.status(), status);
            version.setAdditionalPrinterColumns(declaredOrder(version.getAdditionalPrinterColumns(), kind.resource()));
        }
        return crd;
    }

    private static String description(Class<?> type) {
        JsonClassDescription d = type.getAnnotation(JsonClassDescription.class);
        if (d == null) {
            throw new IllegalStateException(type.getName() + " needs a @JsonClassDescription (kubectl explain shows it)");
        }
        return d.value();
    }

    /** The schema of {@code metav1.Condition}, as controller-gen writes it for Go operators. */
    static void conditions(JSONSchemaProps conditions) {
        conditions.setXKubernetesListType("map");
        conditions.setXKubernetesListMapKeys(List.of("type"));
        JSONSchemaProps item = conditions.getItems().getSchema();
        item.setDescription("One aspect of the resource's current state (metav1.Condition).");
        item.setRequired(List.of("lastTransitionTime", "message", "reason", "status", "type"));
        Map<String, JSONSchemaProps> p = item.getProperties();
        p.get("type").setDescription("Type of the condition in CamelCase (Ready, Progressing, Degraded, ...).");
        p.get("type").setMaxLength(316L);
        p.get("type").setPattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$");
        p.get("status").setDescription("Status of the condition: True, False or Unknown.");
        p.get("status").setEnum(List.of(new TextNode("True"), new TextNode("False"), new TextNode("Unknown")));
        p.get("reason").setDescription("Why the condition last changed, as a CamelCase identifier.");
        p.get("reason").setMinLength(1L);
        p.get("reason").setMaxLength(1024L);
        p.get("reason").setPattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
        p.get("message").setDescription("What a person needs to know about the condition; may be empty.");
        p.get("message").setMaxLength(32768L);
        p.get("lastTransitionTime").setDescription("When the condition last changed status.");
        p.get("lastTransitionTime").setFormat("date-time");
        p.get("observedGeneration").setDescription("The metadata.generation the condition was set from.");
        p.get("observedGeneration").setFormat("int64");
        p.get("observedGeneration").setMinimum(0.0);
    }

    private static List<CustomResourceColumnDefinition> declaredOrder(List<CustomResourceColumnDefinition> columns, Class<?> resource) {
        List<String> declared = Arrays.stream(resource.getAnnotationsByType(AdditionalPrinterColumn.class))
                .map(AdditionalPrinterColumn::name).toList();
        List<CustomResourceColumnDefinition> ordered = new ArrayList<>(columns);
        ordered.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName()) < 0 ? declared.size() : declared.indexOf(c.getName())));
        return ordered;
    }
}
