package io.s3d.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.client.config.SdkClientConfiguration;
import software.amazon.awssdk.core.client.config.SdkClientOption;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.RequiredTrait;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.protocols.xml.AwsS3ProtocolFactory;
import software.amazon.awssdk.protocols.xml.AwsXmlProtocolFactory;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The AWS SDK for Java as the oracle of what S3 operations exist: a request for every operation the
 * SDK's S3 client knows is marshalled as the SDK puts it on the wire, and s3d's router must place
 * it as {@link #EXPECTED} says: served by s3d itself (as the very operation the SDK named),
 * forwarded to the remote, or refused with a reason. An SDK upgrade that brings a new operation
 * fails here until the operation is placed.
 */
class GatewayRouteOracleTest {
    /**
     * Every operation of the SDK's S3 client and where a gateway with the write queue and the read
     * cache on sends it (no bucket versioned, no multipart upload staged).
     */
    private static final Map<String, String> EXPECTED = new TreeMap<>();

    static {
        for (String local : List.of("CopyObject", "CreateMultipartUpload", "DeleteBucket", "DeleteObject",
                "DeleteObjectTagging", "DeleteObjects", "GetObject", "GetObjectTagging", "HeadObject",
                "ListMultipartUploads", "ListObjects", "ListObjectsV2", "PutObject", "PutObjectTagging")) {
            EXPECTED.put(local, "LOCAL");
        }
        for (String forwarded : List.of("AbortMultipartUpload", "CompleteMultipartUpload", "CreateBucket",
                "CreateBucketMetadataConfiguration", "CreateBucketMetadataTableConfiguration",
                "CreateSession", "DeleteBucketAnalyticsConfiguration", "DeleteBucketCors", "DeleteBucketEncryption",
                "DeleteBucketIntelligentTieringConfiguration", "DeleteBucketInventoryConfiguration",
                "DeleteBucketLifecycle", "DeleteBucketMetadataConfiguration", "DeleteBucketMetadataTableConfiguration",
                "DeleteBucketMetricsConfiguration", "DeleteBucketOwnershipControls", "DeleteBucketPolicy",
                "DeleteBucketReplication", "DeleteBucketTagging", "DeleteBucketWebsite", "DeletePublicAccessBlock",
                "GetBucketAbac", "GetBucketAccelerateConfiguration", "GetBucketAcl", "GetBucketAnalyticsConfiguration",
                "GetBucketCors", "GetBucketEncryption", "GetBucketIntelligentTieringConfiguration",
                "GetBucketInventoryConfiguration", "GetBucketLifecycleConfiguration", "GetBucketLocation",
                "GetBucketLogging", "GetBucketMetadataConfiguration", "GetBucketMetadataTableConfiguration",
                "GetBucketMetricsConfiguration", "GetBucketNotificationConfiguration", "GetBucketOwnershipControls",
                "GetBucketPolicy", "GetBucketPolicyStatus", "GetBucketReplication", "GetBucketRequestPayment",
                "GetBucketTagging", "GetBucketVersioning", "GetBucketWebsite", "GetObjectAcl", "GetObjectAttributes",
                "GetObjectLegalHold", "GetObjectLockConfiguration", "GetObjectRetention", "GetObjectTorrent",
                "GetPublicAccessBlock", "HeadBucket", "ListBucketAnalyticsConfigurations",
                "ListBucketIntelligentTieringConfigurations", "ListBucketInventoryConfigurations",
                "ListBucketMetricsConfigurations", "ListBuckets", "ListDirectoryBuckets", "ListObjectVersions",
                "ListParts", "PutBucketAbac", "PutBucketAccelerateConfiguration", "PutBucketAcl",
                "PutBucketAnalyticsConfiguration", "PutBucketCors", "PutBucketEncryption",
                "PutBucketIntelligentTieringConfiguration", "PutBucketInventoryConfiguration",
                "PutBucketLifecycleConfiguration", "PutBucketLogging", "PutBucketMetricsConfiguration",
                "PutBucketNotificationConfiguration", "PutBucketOwnershipControls", "PutBucketPolicy",
                "PutBucketReplication", "PutBucketRequestPayment", "PutBucketTagging", "PutBucketVersioning",
                "PutBucketWebsite", "PutObjectAcl", "PutObjectLegalHold", "PutObjectLockConfiguration",
                "PutObjectRetention", "PutPublicAccessBlock", "RenameObject", "RestoreObject", "SelectObjectContent",
                "UpdateBucketMetadataInventoryTableConfiguration", "UpdateBucketMetadataJournalTableConfiguration",
                "UpdateObjectEncryption", "UploadPart", "UploadPartCopy")) {
            EXPECTED.put(forwarded, "FORWARD");
        }
        EXPECTED.put("WriteGetObjectResponse", "REFUSE");
    }

    /** A gateway's layers: the write queue and read cache on or off, versioned buckets, staged uploads. */
    record Layers(boolean queue, boolean cache, boolean versioned, boolean staged) implements GatewayRoute.Layers {
        static final Layers QUEUE_AND_CACHE = new Layers(true, true, false, false);

        public boolean holdsUpload(String bucket, String key, String uploadId) {
            return staged;
        }

        public boolean queuesWrites(String bucket, String key) {
            return queue;
        }

        public boolean servesReads(String bucket, String key) {
            return cache;
        }

        public boolean servesVersionReads(String bucket, String key) {
            return cache;
        }

        public boolean versioned(String bucket) {
            return versioned;
        }
    }

    @Test
    void everyOperationTheSdkKnowsIsPlacedByTheGatewayRouter() throws Exception {
        Map<String, String> actual = new TreeMap<>();
        List<String> wrongLocal = new ArrayList<>();
        for (String operation : sdkOperations()) {
            SdkHttpFullRequest wire = marshal(operation);
            Routed routed = route(wire, Layers.QUEUE_AND_CACHE);
            actual.put(operation, routed.decision().route().name());
            if (routed.decision().route() == GatewayRoute.Route.LOCAL
                    && !routed.operation().awsName().equals(operation)) {
                wrongLocal.add(operation + " taken for " + routed.operation().awsName() + " (" + wire.method() + " "
                        + wire.encodedPath() + "?" + wire.rawQueryParameters().keySet() + ")");
            }
        }
        assertThat(wrongLocal).as("operations s3d would serve as another one").isEmpty();
        assertThat(new TreeSet<>(actual.keySet())).as("the SDK's operations, each placed in EXPECTED")
                .isEqualTo(new TreeSet<>(EXPECTED.keySet()));
        assertThat(actual).isEqualTo(EXPECTED);
    }

    @Test
    void withoutQueueAndCacheTheGatewayIsAPassThroughForEveryOperation() throws Exception {
        for (String operation : sdkOperations()) {
            GatewayRoute.Route route = route(marshal(operation), new Layers(false, false, false, false)).decision()
                    .route();
            assertThat(route).as(operation).isEqualTo(operation.equals("WriteGetObjectResponse")
                    ? GatewayRoute.Route.REFUSE : GatewayRoute.Route.FORWARD);
        }
    }

    @Test
    void uploadsTheWriteQueueStagedStayWithS3d() throws Exception {
        for (String operation : List.of("UploadPart", "CompleteMultipartUpload", "ListParts", "AbortMultipartUpload")) {
            Routed routed = route(marshal(operation), new Layers(true, true, false, true));
            assertThat(routed.decision().route()).as(operation).isEqualTo(GatewayRoute.Route.LOCAL);
            assertThat(routed.operation().awsName()).isEqualTo(operation);
        }
    }

    @Test
    void writesToAVersionedBucketGoStraightToTheRemoteForTheirVersionId() throws Exception {
        Layers versioned = new Layers(true, true, true, false);
        for (String operation : List.of("PutObject", "CopyObject", "DeleteObject", "DeleteObjects",
                "CreateMultipartUpload", "PutObjectTagging", "DeleteObjectTagging")) {
            assertThat(route(marshal(operation), versioned).decision().route()).as(operation)
                    .isEqualTo(GatewayRoute.Route.FORWARD);
        }
        assertThat(route(marshal("GetObject"), versioned).decision().route()).as("reads stay with the cache")
                .isEqualTo(GatewayRoute.Route.LOCAL);
    }

    @Test
    void requestsWhoseMeaningS3dDoesNotCarryGoStraightToTheRemote() {
        Map<String, String> none = Map.of();
        assertThat(decide("PUT", "k", none, Map.of("x-amz-server-side-encryption", "AES256")).reason())
                .isEqualTo("x-amz-server-side-encryption");
        assertThat(decide("PUT", "k", none, Map.of("X-Amz-Server-Side-Encryption-Customer-Key", "a")).route())
                .isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("GET", "k", none, Map.of("x-amz-server-side-encryption-customer-algorithm", "AES256"))
                .route()).as("an SSE-C read never touches the cache").isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("PUT", "k", none, Map.of("x-amz-object-lock-mode", "GOVERNANCE")).route())
                .isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("PUT", "k", none, Map.of("If-None-Match", "*")).route())
                .as("a conditional write").isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("GET", "k", none, Map.of("If-None-Match", "\"e\"")).route())
                .as("a conditional read s3d evaluates itself").isEqualTo(GatewayRoute.Route.LOCAL);
        assertThat(decide("PUT", "k", none, Map.of("x-amz-storage-class", "STANDARD")).route())
                .isEqualTo(GatewayRoute.Route.LOCAL);
        assertThat(decide("PUT", "k", none, Map.of("x-amz-storage-class", "GLACIER")).route())
                .isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("PUT", "k", none, Map.of("x-amz-acl", "public-read")).route())
                .isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("PUT", "k", none, Map.of("x-amz-copy-source", "b/src?versionId=3")).route())
                .isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("GET", "k", Map.of("partNumber", "2"), none).route()).isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("POST", "k", Map.of("uploads", ""), Map.of("x-amz-checksum-algorithm", "CRC32C")).route())
                .as("a multipart upload with part checksums: queued, pushed in the same parts")
                .isEqualTo(GatewayRoute.Route.LOCAL);
        assertThat(decide("PUT", "k", none, Map.of("Content-Type", "text/plain", "x-amz-meta-a", "b",
                "x-amz-tagging", "a=b", "x-amz-checksum-crc32", "AAAAAA==")).route())
                .as("what the write queue keeps and pushes").isEqualTo(GatewayRoute.Route.LOCAL);
    }

    @Test
    void versionReadsByIdAreTheReadCachesAndEveryOtherVersionRequestTheRemotes() {
        Map<String, String> none = Map.of();
        Map<String, String> version = Map.of("versionId", "3");
        assertThat(decide("GET", "k", version, none).route()).as("GET of a version: immutable, cached")
                .isEqualTo(GatewayRoute.Route.LOCAL);
        assertThat(decide("HEAD", "k", version, none).route()).isEqualTo(GatewayRoute.Route.LOCAL);
        assertThat(decide("GET", "k", version, none, new Layers(true, false, false, false)).route())
                .as("without the read cache").isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("GET", "k", version, Map.of("x-amz-server-side-encryption-customer-key", "a")).route())
                .as("an SSE-C version is never cached").isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("GET", "k", Map.of("versionId", "3", "partNumber", "2"), none).route())
                .isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("DELETE", "k", version, none).route()).isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("GET", "k", Map.of("versionId", "3", "tagging", ""), none).route())
                .as("a version's tags").isEqualTo(GatewayRoute.Route.FORWARD);
        assertThat(decide("PUT", "k", Map.of("versionId", "3", "tagging", ""), none).route())
                .isEqualTo(GatewayRoute.Route.FORWARD);
    }

    private static GatewayRoute.Decision decide(String method, String key, Map<String, String> query,
            Map<String, String> headers) {
        return decide(method, key, query, headers, Layers.QUEUE_AND_CACHE);
    }

    private static GatewayRoute.Decision decide(String method, String key, Map<String, String> query,
            Map<String, String> headers, Layers layers) {
        S3Operation operation = S3Operation.resolve(method, "b", key, query,
                headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("x-amz-copy-source")), false);
        return GatewayRoute.decide(operation, method, "b", key, query, headers, layers);
    }

    record Routed(S3Operation operation, GatewayRoute.Decision decision) {
    }

    private static Routed route(SdkHttpFullRequest wire, GatewayRoute.Layers layers) {
        S3Address address = S3Address.parse(wire.host(), wire.encodedPath(), java.util.Optional.empty());
        Map<String, String> query = new LinkedHashMap<>();
        wire.rawQueryParameters().forEach((name, values) -> query.put(name,
                values.isEmpty() || values.getFirst() == null ? "" : values.getFirst()));
        Map<String, String> headers = new LinkedHashMap<>();
        wire.headers().forEach((name, values) -> headers.put(name, values.isEmpty() ? "" : values.getFirst()));
        S3Operation operation = S3Operation.resolve(wire.method().name(), address.bucket(), address.key(), query,
                headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("x-amz-copy-source")), false);
        return new Routed(operation, GatewayRoute.decide(operation, wire.method().name(), address.bucket(),
                address.key(), query, headers, layers));
    }

    /** The operations the SDK can put on the wire: one request marshaller each, in the S3 module's jar. */
    private static TreeSet<String> sdkOperations() throws Exception {
        TreeSet<String> operations = new TreeSet<>();
        java.nio.file.Path jar = java.nio.file.Path.of(S3Client.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        String prefix = "software/amazon/awssdk/services/s3/transform/";
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            zip.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(n -> n.startsWith(prefix) && n.endsWith("RequestMarshaller.class"))
                    .map(n -> n.substring(prefix.length(), n.length() - "RequestMarshaller.class".length()))
                    .filter(n -> !n.contains("/") && !n.contains("$"))
                    .forEach(operations::add);
        }
        assertThat(operations).as("request marshallers found in " + jar).hasSizeGreaterThan(90);
        return operations;
    }

    private static final AwsXmlProtocolFactory PROTOCOL = AwsS3ProtocolFactory.builder()
            .clientConfiguration(SdkClientConfiguration.builder()
                    .option(SdkClientOption.ENDPOINT, URI.create("http://localhost:9000")).build())
            .build();

    /** The operation's request with its required members set, as the SDK's marshaller puts it on the wire. */
    private static SdkHttpFullRequest marshal(String operation) throws Exception {
        Class<?> requestType = Class.forName("software.amazon.awssdk.services.s3.model." + operation + "Request");
        Object request = minimal(requestType);
        Class<?> marshallerType = Class.forName("software.amazon.awssdk.services.s3.transform." + operation
                + "RequestMarshaller");
        Object marshaller = marshallerType.getConstructor(AwsXmlProtocolFactory.class).newInstance(PROTOCOL);
        try {
            SdkHttpFullRequest wire = (SdkHttpFullRequest) marshallerType.getMethod("marshall", requestType)
                    .invoke(marshaller, request);
            boolean bucketInPath = ((SdkPojo) request).sdkFields().stream().anyMatch(f -> f.locationName().equals(
                    "Bucket") && f.location() == software.amazon.awssdk.core.protocol.MarshallLocation.PATH);
            // The SDK's endpoint rules put the bucket in front of the path (path-style addressing).
            return bucketInPath ? wire.toBuilder().encodedPath("/bucket" + wire.encodedPath()).build() : wire;
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException(operation + ": " + e.getCause(), e.getCause());
        }
    }

    private static Object minimal(Class<?> type) throws Exception {
        return filled((SdkPojo) type.getMethod("builder").invoke(null));
    }

    /** Sets the required members of a builder (and of the structures in them) and builds it. */
    private static Object filled(SdkPojo builder) throws Exception {
        for (SdkField<?> field : builder.sdkFields()) {
            // The bucket and key are in the path, which the marshaller cannot leave empty.
            if (field.containsTrait(RequiredTrait.class, software.amazon.awssdk.core.traits.TraitType.REQUIRED_TRAIT)
                    || List.of("Bucket", "Key", "x-amz-copy-source").contains(field.locationName())) {
                setValue(builder, field);
            }
        }
        return ((software.amazon.awssdk.utils.builder.SdkBuilder<?, ?>) builder).build();
    }

    @SuppressWarnings("unchecked")
    private static void setValue(SdkPojo builder, SdkField<?> field) throws Exception {
        MarshallingType<?> type = field.marshallingType();
        Object value;
        if (type == MarshallingType.STRING) {
            value = switch (field.locationName()) {
                case "Bucket" -> "bucket";
                case "Key" -> "some/key";
                case "x-amz-copy-source" -> "source-bucket/source-key";
                default -> "x";
            };
        } else if (type == MarshallingType.INTEGER) {
            value = 1;
        } else if (type == MarshallingType.LONG) {
            value = 1L;
        } else if (type == MarshallingType.BOOLEAN) {
            value = Boolean.TRUE;
        } else if (type == MarshallingType.INSTANT) {
            value = Instant.now();
        } else if (type == MarshallingType.LIST) {
            value = List.of();
        } else if (type == MarshallingType.MAP) {
            value = Map.of();
        } else if (type == MarshallingType.SDK_BYTES) {
            value = SdkBytes.fromUtf8String("x");
        } else if (type == MarshallingType.SDK_POJO) {
            value = filled(field.constructor().get());
        } else {
            throw new IllegalStateException("no sample value for " + type + " " + field.memberName());
        }
        ((SdkField<Object>) field).set(builder, value);
    }
}
