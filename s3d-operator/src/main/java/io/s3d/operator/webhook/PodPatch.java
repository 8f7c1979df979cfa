package io.s3d.operator.webhook;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.common.Annotations;
import io.s3d.operator.common.ResourceNames;
import io.s3d.operator.model.GatewayModel;
import io.s3d.operator.model.GatewayResources;

/**
 * The RFC 6902 operations that inject s3d into a pod: a native sidecar (init container with
 * restartPolicy Always, first, so it is up before any other container), its volumes, and for each
 * app container AWS_ENDPOINT_URL, the client credentials and, if asked, the FUSE mount. Never
 * overwrites what the pod already sets.
 */
public final class PodPatch {
    /** One JSON patch operation. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Op(String op, String path, Object value) {
        static Op add(String path, Object value) {
            return new Op("add", path, value);
        }
    }

    private PodPatch() {
    }

    public static List<Op> create(Pod pod, GatewayModel model) {
        List<Op> ops = new ArrayList<>();
        Container sidecar = GatewayResources.s3dContainer(model, true);
        if (pod.getSpec().getInitContainers().isEmpty()) {
            ops.add(Op.add("/spec/initContainers", List.of(sidecar)));
        } else {
            ops.add(Op.add("/spec/initContainers/0", sidecar));
        }

        List<Volume> volumes = GatewayResources.volumes(model, true);
        if (pod.getSpec().getVolumes().isEmpty()) {
            ops.add(Op.add("/spec/volumes", volumes));
        } else {
            for (Volume v : volumes) {
                if (pod.getSpec().getVolumes().stream().noneMatch(existing -> Objects.equals(existing.getName(), v.getName()))) {
                    ops.add(Op.add("/spec/volumes/-", v));
                }
            }
        }

        // the sidecar's preStop flush and drain are sized from the gateway's grace period: never shorten the
        // app's, but raise a shorter one (the API server has already defaulted it to 30 s)
        Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
        if (model.writeQueue() && (grace == null || grace < model.terminationGracePeriodSeconds())) {
            ops.add(Op.add("/spec/terminationGracePeriodSeconds", model.terminationGracePeriodSeconds()));
        }

        S3dGatewaySpec spec = model.spec();
        boolean shareFuse = model.fuse() && Boolean.TRUE.equals(spec.fuse.shareWithApps);
        List<Container> containers = pod.getSpec().getContainers();
        for (int i = 0; i < containers.size(); i++) {
            Container c = containers.get(i);
            String base = "/spec/containers/" + i;
            List<EnvVar> env = new ArrayList<>();
            addIfUnset(c, env, new EnvVarBuilder().withName("AWS_ENDPOINT_URL")
                    .withValue(model.localEndpoint()).build());
            if (spec.clientCredentials != null) {
                addIfUnset(c, env, GatewayResources.secretEnv("AWS_ACCESS_KEY_ID", spec.clientCredentials.name,
                        spec.clientCredentials.accessKeyIdKey));
                addIfUnset(c, env, GatewayResources.secretEnv("AWS_SECRET_ACCESS_KEY", spec.clientCredentials.name,
                        spec.clientCredentials.secretAccessKeyKey));
            }
            if (!env.isEmpty()) {
                if (c.getEnv().isEmpty()) {
                    ops.add(Op.add(base + "/env", env));
                } else {
                    env.forEach(e -> ops.add(Op.add(base + "/env/-", e)));
                }
            }
            if (shareFuse && c.getVolumeMounts().stream().noneMatch(m -> spec.fuse.mountPoint.equals(m.getMountPath()))) {
                // HostToContainer: the app sees the FUSE mount s3d makes after the app container started
                VolumeMount mount = new VolumeMountBuilder().withName(GatewayResources.VOL_FUSE)
                        .withMountPath(spec.fuse.mountPoint).withMountPropagation("HostToContainer").build();
                if (c.getVolumeMounts().isEmpty()) {
                    ops.add(Op.add(base + "/volumeMounts", List.of(mount)));
                } else {
                    ops.add(Op.add(base + "/volumeMounts/-", mount));
                }
            }
        }
        ops.add(Op.add("/metadata/annotations/" + escape(Annotations.INJECTED), model.name()));
        return ops;
    }

    private static void addIfUnset(Container c, List<EnvVar> out, EnvVar var) {
        if (c.getEnv().stream().noneMatch(e -> var.getName().equals(e.getName()))) {
            out.add(var);
        }
    }

    /** JSON pointer escaping (RFC 6901): ~ then /. */
    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
