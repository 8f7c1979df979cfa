package io.s3d.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

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

    private static List<String> texts(List<com.fasterxml.jackson.databind.JsonNode> values) {
        return values == null ? List.of() : values.stream().map(com.fasterxml.jackson.databind.JsonNode::asText).toList();
    }
}
