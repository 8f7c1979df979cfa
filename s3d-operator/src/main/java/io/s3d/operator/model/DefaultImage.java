package io.s3d.operator.model;

import java.util.Map;

/**
 * The s3d image a gateway runs when spec.image does not pin one. It comes from the operator's
 * environment (RELATED_IMAGE_S3D, the OLM convention for images an operator deploys), never from a
 * CRD default: a default written into every stored gateway would keep them on the old image after
 * an operator upgrade.
 */
public final class DefaultImage {
    public static final String ENV = "RELATED_IMAGE_S3D";
    /** The image this operator build was released with; used when RELATED_IMAGE_S3D is unset. */
    public static final String BUILT_IN = "ghcr.io/s3d-io/s3d:0.1.0";
    private static final String CURRENT = resolve(System.getenv());

    private DefaultImage() {
    }

    public static String current() {
        return CURRENT;
    }

    static String resolve(Map<String, String> env) {
        String image = env.get(ENV);
        return image == null || image.isBlank() ? BUILT_IN : image.trim();
    }
}
