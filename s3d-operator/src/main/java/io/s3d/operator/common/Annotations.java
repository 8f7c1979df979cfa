package io.s3d.operator.common;

/** Annotations under s3d.io/. */
public final class Annotations {
    /** On the pod template: hash of the rendered configuration, so a config change rolls the pods. */
    public static final String CONFIG_HASH = "s3d.io/config-hash";
    /** On the pod template: hash of the Secret keys the pods read, so a rotated key rolls the pods. */
    public static final String SECRET_HASH = "s3d.io/secret-hash";
    /** On a pod: the gateway whose s3d sidecar the webhook should inject. */
    public static final String INJECT = "s3d.io/inject";
    /** Set by the webhook on a pod it mutated: the gateway injected. */
    public static final String INJECTED = "s3d.io/injected";

    private Annotations() {
    }
}
