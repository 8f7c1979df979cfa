package io.s3d.operator.common;

/** Names of the children of an S3dGateway, and the fixed paths inside the s3d container. */
public final class ResourceNames {
    /** The port s3d listens on (S3 API and health). */
    public static final int S3_PORT = 33333;
    public static final String CONTAINER = "s3d";
    public static final String DATA_DIR = "/var/lib/s3d";
    public static final String FILTER_DIR = "/etc/s3d/filter";
    public static final String FILTER_FILE = FILTER_DIR + "/policy";
    public static final String CONFIG_DIR = "/etc/s3d/config";
    public static final String SYNC_FILE_KEY = "sync-folders.properties";
    public static final String FILTER_KEY = "filter-policy";
    /** Where spec.tls.secretName is mounted (a directory, no subPath: renewed files reach the pod). */
    public static final String TLS_DIR = "/etc/s3d/tls";
    public static final String SYNC_ROOT = "/var/lib/s3d-sync";

    private ResourceNames() {
    }

    /** Deployment, DaemonSet and Service share the gateway's name: the endpoint reads http://&lt;gateway&gt;.&lt;ns&gt;.svc:33333. */
    public static String workload(String gateway) {
        return gateway;
    }

    public static String service(String gateway) {
        return gateway;
    }

    public static String configMap(String gateway) {
        return gateway + "-config";
    }

    public static String dataClaim(String gateway) {
        return gateway + "-data";
    }

    /** In-cluster endpoint of a gateway with a Service. */
    public static String serviceEndpoint(String gateway, String namespace, int port) {
        return serviceEndpoint("http", gateway, namespace, port);
    }

    /** In-cluster endpoint of a gateway with a Service, {@code scheme} http or https. */
    public static String serviceEndpoint(String scheme, String gateway, String namespace, int port) {
        return scheme + "://" + service(gateway) + "." + namespace + ".svc:" + port;
    }

    /** Default host directory a Deployment/DaemonSet gateway propagates its FUSE mount to. */
    public static String defaultFuseHostPath(String gateway, String namespace) {
        return "/var/lib/s3d/mnt/" + namespace + "/" + gateway;
    }

    public static String syncMountPath(String syncFolder) {
        return SYNC_ROOT + "/" + syncFolder;
    }
}
