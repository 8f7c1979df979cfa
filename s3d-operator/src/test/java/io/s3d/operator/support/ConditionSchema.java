package io.s3d.operator.support;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * The checks the API server makes on status.conditions, from the checked-in CRD (the mock API server
 * validates nothing): required fields, the status enum, the type and reason patterns and lengths,
 * lastTransitionTime as a date-time, one condition per type (the list's map key).
 */
public final class ConditionSchema {
    private static JSONSchemaProps item;

    private ConditionSchema() {
    }

    public static void assertConforms(List<Condition> conditions) {
        JSONSchemaProps schema = schema();
        Map<String, Long> perType = conditions.stream().collect(Collectors.groupingBy(Condition::getType, Collectors.counting()));
        perType.forEach((type, n) -> assertEquals(1L, n, "one condition per type (x-kubernetes-list-map-keys): " + type));
        for (Condition c : conditions) {
            Map<String, Function<Condition, Object>> fields = Map.of("type", Condition::getType, "status", Condition::getStatus,
                    "reason", Condition::getReason, "message", Condition::getMessage,
                    "lastTransitionTime", Condition::getLastTransitionTime);
            for (String required : schema.getRequired()) {
                assertNotNull(fields.get(required).apply(c), required + " is required: " + c);
            }
            Map<String, JSONSchemaProps> p = schema.getProperties();
            assertTrue(p.get("status").getEnum().stream().map(JsonNode::asText).toList().contains(c.getStatus()), c.toString());
            assertTrue(c.getType().matches(p.get("type").getPattern()) && c.getType().length() <= p.get("type").getMaxLength(), c.toString());
            assertTrue(c.getReason().matches(p.get("reason").getPattern()) && c.getReason().length() <= p.get("reason").getMaxLength(),
                    "reason " + c.getReason());
            assertTrue(c.getMessage().length() <= p.get("message").getMaxLength(), c.toString());
            assertDoesNotThrow(() -> Instant.parse(c.getLastTransitionTime()), c.toString());
        }
    }

    private static synchronized JSONSchemaProps schema() {
        if (item == null) {
            try {
                CustomResourceDefinition crd = Serialization.unmarshal(
                        Files.readString(RbacCoverage.repoRoot().resolve("crds/s3dgateways.s3d.io-v1.yml")), CustomResourceDefinition.class);
                item = crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("status")
                        .getProperties().get("conditions").getItems().getSchema();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return item;
    }
}
