package io.s3d.filter.opa;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.s3d.filter.ObjectFacts;
import io.s3d.filter.Purpose;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The OPA client against a real Open Policy Agent server running a Rego policy, as a user deploys it
 * beside s3d. {@link OpaDeciderTest} covers the failure policies against a stand-in; this one proves
 * that the input document s3d sends is what a policy written against the documented fields sees.
 * Needs Docker; skipped without it.
 */
@Testcontainers(disabledWithoutDocker = true)
class OpaServerTest {
    private static final String POLICY = """
            package s3d

            import rego.v1

            default allow := false

            # Upload video clips under 1 MiB from the edge team; cache anything in a hot-tier bucket.
            allow if {
                input.purpose == "upload"
                startswith(input.contentType, "video/")
                input.size < 1048576
                input.tags.team == "edge"
            }

            allow if {
                input.purpose == "cache"
                input.bucketTags.tier == "hot"
            }

            # Authorization: only the edge key may delete.
            allow if {
                input.purpose == "access"
                input.operation == "DeleteObject"
                input.identity == "AKIAEDGE"
            }
            """;

    @Container
    static final GenericContainer<?> OPA = new GenericContainer<>(DockerImageName.parse("openpolicyagent/opa:1.0.0"))
            .withCopyToContainer(Transferable.of(POLICY), "/policy/s3d.rego")
            .withCommand("run", "--server", "--addr", "0.0.0.0:8181", "/policy/s3d.rego")
            .withExposedPorts(8181)
            .waitingFor(Wait.forHttp("/health").forPort(8181).forStatusCode(200)
                    .withStartupTimeout(Duration.ofMinutes(2)));

    private static OpaDecider decider(String path) {
        URI url = URI.create("http://" + OPA.getHost() + ":" + OPA.getMappedPort(8181) + path);
        return new OpaDecider(new OpaClient(url, Duration.ofSeconds(5)), EnumSet.of(Purpose.CACHE),
                Duration.ZERO, 100, new SimpleMeterRegistry());
    }

    private static ObjectFacts clip(long size, String team) {
        return ObjectFacts.of("media", "clips/a.mp4").withSize(size)
                .withHeaders(Map.of("content-type", "video/mp4")).withObjectTags(Map.of("team", team))
                .withBucketTags(() -> Map.of("tier", "cold"));
    }

    @Test
    void thePolicyDecidesUploadsFromTheInputDocument() {
        OpaDecider opa = decider("/v1/data/s3d/allow");
        assertThat(opa.allows(Purpose.UPLOAD, clip(2048, "edge"))).isTrue();
        assertThat(opa.allows(Purpose.UPLOAD, clip(2 * 1048576, "edge"))).as("too large").isFalse();
        assertThat(opa.allows(Purpose.UPLOAD, clip(2048, "core"))).as("another team's clip").isFalse();
    }

    @Test
    void bucketTagsReachThePolicy() {
        OpaDecider opa = decider("/v1/data/s3d/allow");
        assertThat(opa.allows(Purpose.CACHE, clip(1, "edge"))).as("cold bucket").isFalse();
        assertThat(opa.allows(Purpose.CACHE, ObjectFacts.of("media", "x").withBucketTags(() -> Map.of("tier", "hot"))))
                .isTrue();
    }

    @Test
    void authorizationUsesTheIdentity() {
        OpaDecider opa = decider("/v1/data/s3d/allow");
        assertThat(opa.authorizes("DeleteObject", "AKIAEDGE", clip(1, "edge"))).isTrue();
        assertThat(opa.authorizes("DeleteObject", "AKIAOTHER", clip(1, "edge"))).isFalse();
    }

    @Test
    void anUndefinedRuleFollowsTheFailurePolicy() {
        OpaDecider opa = decider("/v1/data/s3d/no_such_rule");
        assertThat(opa.allows(Purpose.CACHE, clip(1, "edge"))).as("cache fails open").isTrue();
        assertThat(opa.authorizes("GetObject", "AKIAEDGE", clip(1, "edge"))).as("access fails closed").isFalse();
    }
}
