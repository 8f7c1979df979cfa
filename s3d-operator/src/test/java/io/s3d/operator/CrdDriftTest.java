package io.s3d.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.s3d.operator.support.LeaseAccess;
import io.s3d.operator.support.RbacCoverage;

/**
 * The CRDs checked in under crds/ must be the ones generated from the Java types. QOSDK writes
 * them to target/kubernetes during augmentation, which this @QuarkusTest guarantees has run.
 * Fix a failure with: cp s3d-operator/target/kubernetes/*.s3d.io-v1.yml crds/ (then copy crds/*.yml
 * into deploy/helm/s3d-operator/crds/, which HelmChartTest checks).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = LeaseAccess.class)
class CrdDriftTest {

    @Test
    void checkedInCrdsMatchTheGeneratedOnes() throws IOException {
        Path root = RbacCoverage.repoRoot();
        for (String name : List.of("s3dgateways.s3d.io-v1.yml", "syncfolders.s3d.io-v1.yml")) {
            Path generated = root.resolve("s3d-operator/target/kubernetes").resolve(name);
            Path checkedIn = root.resolve("crds").resolve(name);
            assertTrue(Files.exists(generated), "not generated: " + generated);
            assertTrue(Files.exists(checkedIn), "missing " + checkedIn + ": cp s3d-operator/target/kubernetes/*.s3d.io-v1.yml crds/");
            assertEquals(Files.readString(generated), Files.readString(checkedIn),
                    "crds/" + name + " is stale: cp s3d-operator/target/kubernetes/*.s3d.io-v1.yml crds/");
        }
    }

    /** A field with a fixed set of values is an enum (kubectl explain lists it), not a regex alternation. */
    @Test
    void fixedValueFieldsAreEnums() throws IOException {
        Path crd = RbacCoverage.repoRoot().resolve("crds/s3dgateways.s3d.io-v1.yml");
        var schema = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(Files.readString(crd),
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class)
                .getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec").getProperties();
        assertEquals(List.of("Always", "IfNotPresent", "Never"), texts(schema.get("imagePullPolicy").getEnum()));
        assertEquals(List.of("ClusterIP", "LoadBalancer", "NodePort"), texts(schema.get("service").getProperties().get("type").getEnum()));
        assertEquals(List.of("DaemonSet", "Deployment", "Sidecar"), texts(schema.get("mode").getEnum()));
        assertTrue(!Files.readString(crd).matches("(?s).*pattern: \"\\^\\([A-Za-z|]+\\)\\$\".*"),
                "a pattern ^(A|B)$ left in " + crd);
    }

    /** status.conditions is metav1.Condition: required fields, a list keyed by type (so patches merge by type). */
    @Test
    void conditionsFollowTheKubernetesApiConventions() throws IOException {
        for (String name : CRDS) {
            var conditions = schema(name).getProperties().get("status").getProperties().get("conditions");
            assertEquals("map", conditions.getXKubernetesListType(), name);
            assertEquals(List.of("type"), conditions.getXKubernetesListMapKeys(), name);
            var item = conditions.getItems().getSchema();
            assertEquals(List.of("lastTransitionTime", "message", "reason", "status", "type"), item.getRequired(), name);
            assertEquals(List.of("True", "False", "Unknown"), texts(item.getProperties().get("status").getEnum()), name);
            assertEquals("date-time", item.getProperties().get("lastTransitionTime").getFormat(), name);
            assertTrue("PodTemplateConflict".matches(item.getProperties().get("reason").getPattern()), name);
        }
    }

    /**
     * kubectl explain shows a description on every level: the resource, spec, status and every field
     * below them, our own and those of embedded Kubernetes types (affinity, tolerations, resources...),
     * which fabric8's model carries without descriptions and the CRD post-processor describes.
     */
    @Test
    void everyLevelIsDescribed() throws IOException {
        for (String name : CRDS) {
            var root = schema(name);
            assertTrue(root.getDescription() != null, name + ": the resource has no description");
            List<String> missing = new ArrayList<>();
            for (String top : List.of("spec", "status")) {
                undescribed(top, root.getProperties().get(top), missing);
            }
            assertEquals(List.of(), missing, name + ": fields without a description (a Kubernetes type's field: "
                    + "add its API reference text to api.KubernetesDescriptions as Type.field)");
        }
    }

    /** An embedded Kubernetes type is described by type, so it reads the same wherever the CRD uses it. */
    @Test
    void aKubernetesTypeIsDescribedAlikeWhereverItIsUsed() throws IOException {
        var spec = schema("s3dgateways.s3d.io-v1.yml").getProperties().get("spec").getProperties();
        var spread = spec.get("topologySpreadConstraints").getItems().getSchema().getProperties().get("labelSelector");
        var antiAffinity = spec.get("affinity").getProperties().get("podAntiAffinity").getProperties()
                .get("requiredDuringSchedulingIgnoredDuringExecution").getItems().getSchema().getProperties();
        for (String field : List.of("matchLabels", "matchExpressions")) {
            assertEquals(spread.getProperties().get(field).getDescription(),
                    antiAffinity.get("namespaceSelector").getProperties().get(field).getDescription(), field);
            assertEquals(spread.getProperties().get(field).getDescription(),
                    antiAffinity.get("labelSelector").getProperties().get(field).getDescription(), field);
        }
        assertTrue(spec.get("tolerations").getItems().getSchema().getProperties().get("effect").getDescription()
                .contains("NoSchedule, PreferNoSchedule and NoExecute"));
    }

    private static void undescribed(String path, JSONSchemaProps p, List<String> missing) {
        if (p.getDescription() == null || p.getDescription().isBlank()) {
            missing.add(path);
        }
        undescribedFields(path, p, missing);
    }

    /** The fields below a schema; the items of a list and the values of a map are not fields, their fields are. */
    private static void undescribedFields(String path, JSONSchemaProps p, List<String> missing) {
        if (p.getProperties() != null) {
            p.getProperties().forEach((k, v) -> undescribed(path + "." + k, v, missing));
        }
        if (p.getItems() != null && p.getItems().getSchema() != null) {
            undescribedFields(path + "[]", p.getItems().getSchema(), missing);
        }
        if (p.getAdditionalProperties() != null && p.getAdditionalProperties().getSchema() != null) {
            undescribedFields(path + "{}", p.getAdditionalProperties().getSchema(), missing);
        }
    }

    /** kubectl get shows columns in the CRD's order: Age last, as for built-in resources. */
    @Test
    void ageIsTheLastPrinterColumn() throws IOException {
        for (String name : CRDS) {
            var columns = crd(name).getSpec().getVersions().get(0).getAdditionalPrinterColumns();
            assertEquals("Age", columns.get(columns.size() - 1).getName(), name);
        }
        assertEquals(List.of("Mode", "Ready", "Replicas", "Endpoint", "Age"), crd("s3dgateways.s3d.io-v1.yml").getSpec().getVersions()
                .get(0).getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList(), "the order declared on S3dGateway");
    }

    /** spec.podTemplate is any object: a PodTemplateSpec schema would push the CRD past kubectl apply's annotation limit. */
    @Test
    void podTemplateIsAnObjectKeptAsWritten() throws IOException {
        var podTemplate = schema("s3dgateways.s3d.io-v1.yml").getProperties().get("spec").getProperties().get("podTemplate");
        assertEquals("object", podTemplate.getType());
        assertEquals(Boolean.TRUE, podTemplate.getXKubernetesPreserveUnknownFields());
        assertTrue(Files.size(RbacCoverage.repoRoot().resolve("crds/s3dgateways.s3d.io-v1.yml")) < 262_144,
                "kubectl apply (client side) keeps the whole CRD in a 256 KiB annotation");
    }

    static final List<String> CRDS = List.of("s3dgateways.s3d.io-v1.yml", "syncfolders.s3d.io-v1.yml");

    private static io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition crd(String name) throws IOException {
        return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(Files.readString(RbacCoverage.repoRoot().resolve("crds").resolve(name)),
                io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition.class);
    }

    private static JSONSchemaProps schema(String name) throws IOException {
        return crd(name).getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }

    private static List<String> texts(List<com.fasterxml.jackson.databind.JsonNode> values) {
        return values == null ? List.of() : values.stream().map(com.fasterxml.jackson.databind.JsonNode::asText).toList();
    }
}
