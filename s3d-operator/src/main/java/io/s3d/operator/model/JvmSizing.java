package io.s3d.operator.model;

import java.util.Optional;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The s3d JVM's options from the container's memory limit, as {@code s3d run} sizes them: a heap
 * of a quarter of the limit, between 64 MiB and 256 MiB (s3d streams every body, its heap holds
 * metadata, indexes and buffers; the image's -XX:MaxRAMPercentage=25 alone would grow it with
 * every larger limit), and the serial collector, whose footprint suits a daemon that keeps little
 * alive. Rendered as JAVA_TOOL_OPTIONS, which a podTemplate entry of the same name replaces.
 */
public final class JvmSizing {
    public static final String ENV = "JAVA_TOOL_OPTIONS";
    static final long MIN_HEAP = 64L << 20;
    static final long MAX_HEAP = 256L << 20;

    private JvmSizing() {
    }

    /** The variable, when the container has a memory limit. */
    static Optional<EnvVar> env(ResourceRequirements resources) {
        return memoryLimit(resources).map(limit -> new EnvVarBuilder().withName(ENV).withValue(options(limit)).build());
    }

    static String options(long memoryLimit) {
        return "-Xmx" + (maxHeap(memoryLimit) >> 20) + "m -XX:+UseSerialGC";
    }

    static long maxHeap(long memoryLimit) {
        return Math.max(MIN_HEAP, Math.min(MAX_HEAP, memoryLimit / 4));
    }

    private static Optional<Long> memoryLimit(ResourceRequirements resources) {
        if (resources == null || resources.getLimits() == null) {
            return Optional.empty();
        }
        Quantity limit = resources.getLimits().get("memory");
        return limit == null ? Optional.empty() : Optional.of(Quantity.getAmountInBytes(limit).longValue());
    }
}
