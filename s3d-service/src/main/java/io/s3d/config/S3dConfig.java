package io.s3d.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.time.Duration;
import java.util.Optional;

/**
 * All of s3d's own settings, under {@code s3d.}. Every key can also be given as an environment
 * variable ({@code s3d.local-dir} is {@code S3D_LOCAL_DIR}); the variables the original s3d
 * documented under other names ({@code S3_ENDPOINT}, {@code S3D_WRITE_QUEUE}, ...) are bridged in
 * {@code application.properties}. The Javadoc of each method is the documentation of its key.
 */
@ConfigMapping(prefix = "s3d")
public interface S3dConfig {

    /** Address s3d listens on, as a URL; host {@code 0.0.0.0} listens on all interfaces. */
    @WithDefault("http://localhost:33333")
    String endpoint();

    /** Directory of the local store; {@code ~} is the user's home. */
    @WithDefault("~/.s3d")
    String localDir();

    /** Region s3d answers for: GetBucketLocation and the default SigV4 scope. */
    @WithDefault("us-east-1")
    String region();

    /**
     * Base domain for virtual-hosted-style requests: with {@code s3.local}, a request to
     * {@code photos.s3.local} addresses bucket {@code photos}. Path-style always works.
     */
    Optional<String> baseDomain();

    /** Access key id of the one client credential pair (with {@link #secretAccessKey()}). */
    Optional<String> accessKeyId();

    /** Secret of the one client credential pair. */
    Optional<String> secretAccessKey();

    /**
     * A file of further client credentials in the AWS {@code credentials} format: sections with
     * {@code aws_access_key_id} and {@code aws_secret_access_key}.
     */
    Optional<String> credentialsFile();

    /** Minimum free space kept on the local store's disk; below it readiness fails and writes get 503 SlowDown. */
    @WithDefault("256M")
    io.quarkus.runtime.configuration.MemorySize minFreeDisk();

    /** Multipart uploads untouched for longer than this are aborted and their parts deleted. */
    @WithDefault("24h")
    Duration multipartMaxAge();

    /** The remote S3 store (gateway mode). */
    Remote remote();

    /** The write queue. */
    WriteQueue writeQueue();

    /** The read cache. */
    ReadCache readCache();

    /** The FUSE mount. */
    Fuse fuse();

    /** Settings of the remote S3 store. */
    interface Remote {
        /** Endpoint of the remote S3 store; empty means standalone (no remote). */
        Optional<String> endpoint();
    }

    /** Settings of the write queue. */
    interface WriteQueue {
        /** Queue writes locally and push them to the remote in the background. */
        @WithDefault("false")
        boolean enabled();
    }

    /** Settings of the read cache. */
    interface ReadCache {
        /** Keep objects read from the remote on local disk. */
        @WithDefault("false")
        boolean enabled();
    }

    /** Settings of the FUSE mount. */
    interface Fuse {
        /** Mount the buckets as a file system. */
        @WithDefault("false")
        boolean enabled();
    }
}
