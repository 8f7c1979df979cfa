package io.s3d.operator.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * Golden files under src/test/resources. Compared as trees (JSON or YAML), so formatting does not
 * matter. Regenerate after an intended change with {@code -Ds3d.golden.update=true} and review the diff.
 */
public final class Golden {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Golden() {
    }

    public static void assertJson(String resource, Object actual) {
        compare(resource, toJsonUnchecked(Serialization.asJson(actual)), false);
    }

    public static void assertYaml(String resource, Object actual) {
        compare(resource, toJsonUnchecked(Serialization.asJson(actual)), true);
    }

    private static JsonNode toJsonUnchecked(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void compare(String resource, JsonNode actual, boolean yaml) {
        Path file = RbacCoverage.repoRoot().resolve("s3d-operator/src/test/resources").resolve(resource);
        try {
            if (Boolean.getBoolean("s3d.golden.update")) {
                Files.createDirectories(file.getParent());
                String text = yaml ? Serialization.asYaml(JSON.treeToValue(actual, Object.class)) : JSON.writeValueAsString(actual) + "\n";
                Files.writeString(file, text);
                return;
            }
            String expected = Files.readString(file);
            JsonNode expectedTree = yaml ? JSON.valueToTree(Serialization.unmarshal(expected, Object.class)) : toJsonUnchecked(expected);
            assertEquals(expectedTree, actual, "golden file " + resource + " differs (regenerate with -Ds3d.golden.update=true)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
