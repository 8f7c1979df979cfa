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

    /** Lifecycle rules of the local store's buckets (standalone mode). */
    Lifecycle lifecycle();

    /** Server-side encryption of the local store's objects (SSE-S3, SSE-KMS; standalone mode). */
    Encryption encryption();

    /** Master keys of SSE-S3 and SSE-KMS; see docs/security.md, "Encryption at rest". */
    interface Encryption {
        /**
         * A file of master keys, one {@code name = base64 of 32 bytes} a line ({@code #} comments);
         * the key named {@code default} serves SSE-S3 and SSE-KMS without a key id, the others SSE-KMS
         * key ids (plain, {@code alias/NAME} or an ARN ending in {@code key/NAME}). Mount a
         * Kubernetes Secret as this file. Without it, s3d generates one default key, kept with mode
         * 0600 in {@code .keys/master.key} under the data directory.
         */
        Optional<String> keyFile();
    }

    /** When s3d carries out the buckets' lifecycle configurations (PutBucketLifecycleConfiguration). */
    interface Lifecycle {
        /** Whether the rules run at all (standalone only: in a gateway the remote runs its own). */
        @WithDefault("true")
        boolean enabled();

        /** Time between two passes over every bucket with a lifecycle configuration. */
        @WithDefault("1h")
        Duration interval();
    }

    /**
     * Format of the log on the console: {@code text} (one line per event) or {@code json} (one JSON
     * object per line, for log collectors; the environment variable is {@code S3D_LOG_FORMAT}).
     */
    @WithDefault("text")
    LogFormat logFormat();

    /**
     * One access log line per S3 request (logger {@code s3d.access}, like nginx's {@code access_log}):
     * request id, operation, bucket, status, duration, bytes in and out.
     */
    @WithDefault("false")
    boolean accessLog();

    /** Whether access log lines name the object key too (keys can be personal data, so off by default). */
    @WithDefault("false")
    boolean accessLogKeys();

    /** Traces (OpenTelemetry), see docs/observability.md#traces. */
    Otel otel();

    /** Traces: off unless {@code S3D_OTEL=true}; the exporter is set with the standard {@code OTEL_*} variables. */
    interface Otel {
        /**
         * Whether s3d records and exports traces ({@code S3D_OTEL}); turns Quarkus's
         * {@code quarkus.otel.sdk.disabled} to false (see TracingConfigSourceFactory).
         */
        @WithDefault("false")
        boolean enabled();

        /** Whether request spans name the object key ({@code S3D_OTEL_KEYS}; keys can be personal data). */
        @WithDefault("false")
        boolean keys();
    }

    /** Log output formats. */
    enum LogFormat {
        TEXT, JSON
    }

    /** The remote S3 store (gateway mode). */
    Remote remote();

    /** The write queue. */
    WriteQueue writeQueue();

    /** The read cache. */
    ReadCache readCache();

    /** The FUSE mount. */
    Fuse fuse();

    /** The filter policy. */
    Filter filter();

    /** The sync folders: local directories kept in two-way sync with a bucket prefix. */
    Sync sync();

    /** HTTPS, served when {@link #endpoint()} is {@code https://} (see docs/security.md). */
    Tls tls();

    /** Limits on client connections (see docs/security.md). */
    Connections connections();

    /** Who may do what without credentials, and the metrics endpoint (see docs/security.md). */
    Security security();

    /**
     * TLS settings, mapped onto the Quarkus TLS registry ({@code quarkus.tls.*}), which may be used
     * directly instead. The files are re-read every {@link #reloadPeriod()}: a renewed certificate
     * (a cert-manager Secret) is served without a restart.
     */
    interface Tls {
        /** PEM certificate chain (with {@link #keyFile()}). */
        Optional<String> certFile();

        /** PEM private key of {@link #certFile()}. */
        Optional<String> keyFile();

        /** PKCS#12 keystore, instead of the PEM pair. */
        Optional<String> keystoreFile();

        /** Password of {@link #keystoreFile()}. */
        Optional<String> keystorePassword();

        /** How often the certificate files are checked for a new certificate. */
        @WithDefault("1m")
        Duration reloadPeriod();

        /** Plain HTTP next to HTTPS: {@code disabled} (refused), {@code redirect} (to HTTPS) or {@code enabled}. */
        @WithDefault("disabled")
        String insecureRequests();

        /** The plain-HTTP port when {@link #insecureRequests()} is not {@code disabled}. */
        Optional<Integer> httpPort();
    }

    /** Connection limits of the S3 port, mapped onto Quarkus's HTTP server settings. */
    interface Connections {
        /** A connection with no bytes read or written for this long is closed (slow or idle clients). */
        @WithDefault("60s")
        Duration idleTimeout();

        /**
         * A connection that has not sent a complete request head this long after opening (or after its
         * first bytes following a response) is closed: clients that drip header bytes (slowloris).
         */
        @WithDefault("20s")
        Duration headerTimeout();

        /** Most connections open at once; further ones wait in the kernel's backlog. */
        @WithDefault("4096")
        int max();
    }

    /** Browser protections of open mode and the metrics endpoint's access. */
    interface Security {
        /**
         * Web origins (such as {@code http://localhost:3000}) whose pages may call s3d in open mode.
         * Requests from any other origin, or marked {@code Sec-Fetch-Site: cross-site}, are refused.
         */
        Optional<java.util.List<String>> allowedOrigins();

        /** Whether {@code /q/metrics} needs a signed request when credentials are configured. */
        @WithDefault("false")
        boolean metricsRequireAuth();

        /**
         * Whether Signature V2 (HMAC-SHA1, no payload signing) is accepted from clients that still
         * use it (s3cmd {@code --signature-v2}, boto2, older backup tools); off answers them as S3
         * regions opened after 2014 do.
         */
        @WithDefault("true")
        boolean allowSigv2();
    }

    /** Settings of the remote S3 store. */
    interface Remote {
        /**
         * Endpoint of the remote S3 store, e.g. {@code http://minio:9000}; {@code aws} means AWS itself
         * (the regional endpoint of {@link #region()}); empty means standalone (no remote).
         */
        Optional<String> endpoint();

        /** Region of the remote store, used to sign requests to it. */
        @WithDefault("us-east-1")
        String region();

        /**
         * Path-style addressing ({@code endpoint/bucket/key}) instead of virtual-hosted style; by
         * default on for a custom endpoint, off for AWS.
         */
        Optional<Boolean> pathStyle();

        /** Most connections open to the remote at once. */
        @WithDefault("64")
        int maxConnections();

        /** Time allowed to open a connection to the remote. */
        @WithDefault("5s")
        Duration connectTimeout();

        /** Longest silence on an open connection to the remote before the request fails. */
        @WithDefault("60s")
        Duration readTimeout();

        /**
         * Objects at least this large are pushed from the write queue by multipart upload; files at
         * least this large changed in place through the FUSE mount are stored by parts (the changed ones sent).
         */
        @WithDefault("16M")
        io.quarkus.runtime.configuration.MemorySize multipartThreshold();

        /** Part size of the write queue's multipart pushes, and of the FUSE mount's stores by parts. */
        @WithDefault("8M")
        io.quarkus.runtime.configuration.MemorySize partSize();
    }

    /** Settings of the write queue. */
    interface WriteQueue {
        /** Queue writes locally and push them to the remote in the background (needs a remote). */
        @WithDefault("false")
        boolean enabled();

        /** Directory of the queue (its journal and the queued objects); default {@code <local-dir>/.queue}. */
        Optional<String> dir();

        /**
         * Which writes are queued: comma-separated {@code bucket} or {@code bucket/prefix} patterns,
         * {@code *} matching any characters (e.g. {@code logs,photos/raw/*}); writes to other keys go
         * straight to the remote. Empty: every write is queued.
         */
        Optional<String> filter();

        /** The queue is full when its objects hold this many bytes (new writes wait, then get 503 SlowDown). */
        @WithDefault("1G")
        io.quarkus.runtime.configuration.MemorySize maxSize();

        /** The queue is full when it holds this many items. */
        @WithDefault("100")
        int maxFiles();

        /**
         * The queue is full while its oldest pending (not parked) item is older than this: a bound on
         * how far the remote may lag behind. A number alone is seconds; 0 disables the bound.
         */
        @WithDefault("3600s")
        Duration maxAge();

        /** How long a write waits for room in a full queue before it is answered 503 SlowDown. */
        @WithDefault("10s")
        Duration admissionWait();

        /** Keys pushed to the remote in parallel. */
        @WithDefault("4")
        int pushers();

        /** First retry delay after a failed push; doubles (with jitter) on every further failure. */
        @WithDefault("1s")
        Duration retryInitialDelay();

        /** Longest delay between retries of one item. */
        @WithDefault("30s")
        Duration retryMaxDelay();

        /**
         * A key whose pushes the remote keeps answering with an error (a 5xx, say) is parked after
         * this many failed attempts in a row, once {@link #parkAfter()} has passed too; an
         * unreachable remote does not count.
         */
        @WithDefault("10")
        int maxAttempts();

        /** The shortest time a key's pushes must have been failing before it is parked (with {@link #maxAttempts()}). */
        @WithDefault("15m")
        Duration parkAfter();

        /** At shutdown, how long s3d keeps pushing before it stops (what is left stays queued on disk). */
        @WithDefault("10s")
        Duration shutdownGrace();
    }

    /** Settings of the read cache. */
    interface ReadCache {
        /** Keep objects read from the remote on local disk (needs a remote). */
        @WithDefault("false")
        boolean enabled();

        /** Directory of the cache; default {@code <local-dir>/.cache}. */
        Optional<String> dir();

        /** Bytes the cache keeps at most (pinned objects included); the coldest objects go first. */
        @WithDefault("1G")
        io.quarkus.runtime.configuration.MemorySize maxSize();

        /** Objects the cache keeps at most (pinned objects not counted). */
        @WithDefault("100")
        int maxFiles();

        /**
         * How long a cached object is served without asking the remote; after that it is revalidated
         * with a conditional request (If-None-Match). A number alone is seconds.
         */
        @WithDefault("3600s")
        Duration maxAge();

        /**
         * Longest wait for the remote's answer when a cached object past max-age is revalidated; then
         * the cached copy is served stale, as when the remote is unreachable. Keep it well below
         * clients' own timeouts: a stalled (not reset) link otherwise costs every reader its timeout.
         */
        @WithDefault("5s")
        Duration revalidateTimeout();

        /** Objects are cached in blocks of this size: a range read fetches and keeps only the blocks it touches. */
        @WithDefault("4M")
        io.quarkus.runtime.configuration.MemorySize blockSize();

        /**
         * Blocks fetched past the end of a read that continues the previous one (sequential
         * readers); a miss asks for its whole range in one GET.
         */
        @WithDefault("4")
        int readAhead();

        /** Which reads are cached, in the filter language; others pass through uncached. Empty: all. */
        Optional<String> filter();
    }

    /** Settings of the filter policy (see "Filters" in docs/user-guide.md). */
    interface Filter {
        /**
         * The filter file: named rule sets ({@code queue:}, {@code cache:}, {@code sync:},
         * {@code sync.<folder>:}, {@code exclude:}), checked for changes every {@link #reloadInterval()}.
         */
        Optional<String> file();

        /** How often the filter file is checked for changes (its content hash). */
        @WithDefault("5s")
        Duration reloadInterval();

        /** How long bucket tags read for filter rules are kept before they are read again. */
        @WithDefault("60s")
        Duration bucketTagsTtl();

        /** Open Policy Agent decision URL, e.g. {@code http://localhost:8181/v1/data/s3d/allow}. */
        Optional<String> opaUrl();

        /** Also ask OPA whether each S3 request is allowed (purpose {@code access}); 403 AccessDenied on deny. */
        @WithDefault("false")
        boolean opaAuthorize();

        /** Longest wait for an OPA answer; a slower one is a failure. */
        @WithDefault("1s")
        Duration opaTimeout();

        /** How long an OPA decision is reused for the same input. */
        @WithDefault("10s")
        Duration opaCacheTtl();

        /** OPA decisions kept at most. */
        @WithDefault("10000")
        int opaCacheSize();

        /**
         * The purposes whose decision is "allow" when OPA fails (unreachable, slow, error, undefined
         * result); for the others it is "deny". Default: fail open for queue, cache and sync (a
         * failing OPA must not stop data from flowing), closed for access.
         */
        @WithDefault("upload,cache,sync")
        java.util.List<String> opaFailOpen();
    }

    /** Settings of the FUSE mount (see "The FUSE mount" in docs/user-guide.md). */
    interface Fuse {
        /**
         * Mount the buckets as a file system at {@link #mountPoint()}: one directory per bucket, the
         * keys inside as files and directories. Needs {@code /dev/fuse} and libfuse 2 ({@code libfuse.so.2}).
         */
        @WithDefault("false")
        boolean enabled();

        /**
         * Where the buckets are mounted; created when missing. It must be an empty directory with no
         * live FUSE file system on it (a stale mount left by a killed s3d is unmounted first; a bind
         * mount such as a hostPath volume is fine).
         */
        @WithDefault("/mnt/s3d")
        String mountPoint();

        /**
         * Let users other than the one s3d runs as use the mount (FUSE {@code allow_other}), e.g. app
         * containers that share it; they are bound by the mode bits shown ({@code default_permissions}).
         * Off by default: only the user s3d runs as can use the mount. Only root may set it unless
         * {@code /etc/fuse.conf} has {@code user_allow_other}.
         */
        @WithDefault("false")
        boolean allowOther();

        /**
         * Directory where files open for writing are staged until they are closed and stored; default
         * {@code <local-dir>/.fuse}. It needs room for the largest file written at once.
         */
        Optional<String> stagingDir();

        /**
         * How long the kernel and s3d trust what they learned about a file or directory (size, time,
         * existence) before asking the store again; changes made through S3 show up after at most this.
         */
        @WithDefault("1s")
        Duration metadataTtl();

        /** Permission bits files show ({@code ls -l}); octal. The kernel checks every access against them. */
        @WithDefault("0644")
        String fileMode();

        /** Permission bits directories show; octal. */
        @WithDefault("0755")
        String dirMode();

        /** Owner files and directories show; default the user s3d runs as. */
        Optional<Integer> uid();

        /** Group files and directories show; default the group s3d runs as. */
        Optional<Integer> gid();
    }

    /** Settings of the sync folders (see the user guide, "The sync folder"). */
    interface Sync {
        /**
         * Directory of each folder's sync state (its last-synced snapshot and kept conflict losers),
         * one sub-directory per folder; default {@code <local-dir>/.sync}.
         */
        Optional<String> stateDir();

        /** At shutdown, how long a running pass may finish its transfers before they are cut off. */
        @WithDefault("10s")
        Duration shutdownGrace();

        /**
         * Longest wait for the remote's answer to one page of a pass's listing, retries included: on
         * a stalled link the pass fails after this instead of the read timeout times the retries.
         */
        @WithDefault("30s")
        Duration remoteTimeout();

        /** Which keys every sync folder carries, in the filter language (beside each folder's globs). Empty: all. */
        Optional<String> filter();

        /** The folders, by name: {@code s3d.sync.folders."docs".local-dir=...}. */
        java.util.Map<String, Folder> folders();

        /** One sync folder. */
        interface Folder {
            /** Absolute path of the local directory to sync. */
            Optional<String> localDir();

            /** Bucket to sync with (in gateway mode on the remote, standalone in the local store). */
            Optional<String> bucket();

            /** Key prefix inside the bucket; empty means the whole bucket. A missing trailing {@code /} is added. */
            Optional<String> prefix();

            /** {@code both}, {@code upload-only} (local to bucket) or {@code download-only} (bucket to local). */
            @WithDefault("both")
            String direction();

            /**
             * What happens when both sides changed a file since the last sync: {@code keep-both},
             * {@code newer-wins}, {@code local-wins} or {@code remote-wins}.
             */
            @WithDefault("keep-both")
            String conflictPolicy();

            /** Time between full passes (local scan and remote listing); local changes seen by the watcher sync sooner. */
            @WithDefault("60s")
            Duration interval();

            /** Comma-separated globs of relative paths to sync; empty means all. */
            Optional<java.util.List<String>> include();

            /** Comma-separated globs of relative paths not to sync, applied after {@link #include()}. */
            Optional<java.util.List<String>> exclude();

            /** Which keys this folder carries, in the filter language (on top of {@link Sync#filter()}). */
            Optional<String> filter();

            /** Files larger than this are not synced (they are reported as skipped). */
            Optional<io.quarkus.runtime.configuration.MemorySize> maxFileSize();

            /** Most transfers and deletions in one pass; the rest follow in the next pass, started at once. */
            Optional<Integer> maxFilesPerPass();

            /** Transfers run in parallel within a pass. */
            @WithDefault("4")
            int concurrency();
        }
    }
}
