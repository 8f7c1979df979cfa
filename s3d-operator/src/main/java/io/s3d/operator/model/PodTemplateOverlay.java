package io.s3d.operator.model;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.s3d.operator.common.ResourceNames;

/**
 * spec.podTemplate, the escape hatch: a partial PodTemplateSpec merged over the pod template the
 * operator renders, as {@code kubectl patch --type strategic} merges one (prometheus-operator's
 * {@code containers}, Strimzi's {@code template}): objects key by key, the lists Kubernetes merges by
 * a key merged by that key, every other list and value replaced. The template cannot remove what
 * the operator renders (it has no {@code $patch} directives).
 * <p>
 * What the s3d pod depends on is not merged but refused ({@link #conflicts}): a template that sets it
 * leaves the gateway as it was, with the reason in its status. Quietly dropping a field the user
 * wrote would be worse than saying no.
 */
public final class PodTemplateOverlay {
    /** Lists Kubernetes merges by key in a pod template (patchMergeKey of the core/v1 types), by field name. */
    private static final Map<String, String> MERGE_KEYS = Map.ofEntries(
            Map.entry("containers", "name"),
            Map.entry("initContainers", "name"),
            Map.entry("ephemeralContainers", "name"),
            Map.entry("volumes", "name"),
            Map.entry("imagePullSecrets", "name"),
            Map.entry("env", "name"),
            Map.entry("resourceClaims", "name"),
            Map.entry("schedulingGates", "name"),
            Map.entry("volumeMounts", "mountPath"),
            Map.entry("volumeDevices", "devicePath"),
            Map.entry("ports", "containerPort"),
            Map.entry("hostAliases", "ip"),
            Map.entry("topologySpreadConstraints", "topologyKey"));
    /** Volumes the operator renders are all named so; the template may not define or replace one. */
    static final String OWNED_VOLUME_PREFIX = "s3d-";

    private static final ObjectMapper JSON = new ObjectMapper();

    private PodTemplateOverlay() {
    }

    /**
     * What {@code template} sets that the operator owns, one line each naming the field and what to
     * use instead; empty when the template can be merged. {@code rendered} is the s3d container as
     * the operator renders it (its env names and mount paths are the operator's).
     */
    public static List<String> conflicts(PodTemplateSpec template, Container rendered) {
        List<String> out = new ArrayList<>();
        if (template == null || template.getSpec() == null) {
            return out;
        }
        var spec = template.getSpec();
        if (spec.getTerminationGracePeriodSeconds() != null) {
            out.add("podTemplate.spec.terminationGracePeriodSeconds: set spec.terminationGracePeriodSeconds (the preStop "
                    + "flush and the write queue's drain are split from it)");
        }
        for (Volume v : spec.getVolumes()) {
            if (v.getName() != null && v.getName().startsWith(OWNED_VOLUME_PREFIX)) {
                out.add("podTemplate.spec.volumes[" + v.getName() + "]: volume names starting with " + OWNED_VOLUME_PREFIX
                        + " are the operator's");
            }
        }
        for (Container c : spec.getContainers()) {
            if (ResourceNames.CONTAINER.equals(c.getName())) {
                s3dContainer(c, rendered, out);
            }
        }
        for (Container c : spec.getInitContainers()) {
            if (ResourceNames.CONTAINER.equals(c.getName())) {
                out.add("podTemplate.spec.initContainers[" + c.getName() + "]: the name is the operator's s3d container");
            }
        }
        return out;
    }

    private static void s3dContainer(Container c, Container rendered, List<String> out) {
        String at = "podTemplate.spec.containers[" + ResourceNames.CONTAINER + "].";
        if (c.getImage() != null) {
            out.add(at + "image: set spec.image");
        }
        owned(out, at + "command", c.getCommand() != null && !c.getCommand().isEmpty());
        owned(out, at + "args", c.getArgs() != null && !c.getArgs().isEmpty());
        owned(out, at + "ports", c.getPorts() != null && !c.getPorts().isEmpty());
        owned(out, at + "livenessProbe", c.getLivenessProbe() != null);
        owned(out, at + "readinessProbe", c.getReadinessProbe() != null);
        owned(out, at + "startupProbe", c.getStartupProbe() != null);
        owned(out, at + "lifecycle", c.getLifecycle() != null);
        owned(out, at + "restartPolicy", c.getRestartPolicy() != null);
        Set<String> envNames = rendered.getEnv().stream().map(EnvVar::getName).collect(Collectors.toSet());
        for (EnvVar e : c.getEnv()) {
            // JAVA_TOOL_OPTIONS: the operator's is only a default sizing, the template's replaces it
            if (envNames.contains(e.getName()) && !e.getName().equals(JvmSizing.ENV)) {
                out.add(at + "env[" + e.getName() + "]: set by the operator from the gateway's spec");
            }
        }
        Set<String> paths = rendered.getVolumeMounts().stream().map(VolumeMount::getMountPath).collect(Collectors.toSet());
        for (VolumeMount m : c.getVolumeMounts()) {
            if (paths.contains(m.getMountPath())) {
                out.add(at + "volumeMounts[" + m.getMountPath() + "]: the operator mounts its own volume there");
            }
        }
    }

    private static void owned(List<String> out, String field, boolean set) {
        if (set) {
            out.add(field + ": the operator's (s3d's health, ports and preStop flush depend on it)");
        }
    }

    /** {@code template} merged over {@code rendered}; {@code rendered} itself when there is no template. */
    public static PodTemplateSpec apply(PodTemplateSpec rendered, PodTemplateSpec template) {
        if (template == null) {
            return rendered;
        }
        try {
            JsonNode merged = merge(JSON.readTree(Serialization.asJson(rendered)), JSON.readTree(Serialization.asJson(template)), null);
            return Serialization.unmarshal(JSON.writeValueAsString(merged), PodTemplateSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot merge spec.podTemplate: " + e.getMessage(), e);
        }
    }

    /** Strategic merge of {@code patch} into {@code base}; {@code field} names the value (for merge keys). */
    static JsonNode merge(JsonNode base, JsonNode patch, String field) {
        if (base instanceof ObjectNode b && patch instanceof ObjectNode p) {
            ObjectNode out = b.deepCopy();
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), merge(b.get(e.getKey()), e.getValue(), e.getKey()));
            }
            return out;
        }
        String key = MERGE_KEYS.get(field);
        if (base instanceof ArrayNode b && patch instanceof ArrayNode p && key != null) {
            ArrayNode out = b.deepCopy();
            for (JsonNode item : p) {
                int at = indexOf(out, key, item.get(key));
                if (at < 0) {
                    out.add(item.deepCopy());
                } else {
                    out.set(at, merge(out.get(at), item, null));
                }
            }
            return out;
        }
        return patch.deepCopy();
    }

    private static int indexOf(ArrayNode items, String key, JsonNode value) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < items.size(); i++) {
            if (value.equals(items.get(i).get(key))) {
                return i;
            }
        }
        return -1;
    }
}
