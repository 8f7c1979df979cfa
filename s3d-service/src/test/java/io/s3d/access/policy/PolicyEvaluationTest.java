package io.s3d.access.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.s3d.access.AccessRequest;
import io.s3d.access.Identity;
import io.s3d.access.PolicyEffect;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a stored policy says of requests: Deny wins, wildcards, every operator family, principals, isPublic. */
class PolicyEvaluationTest {
    private static final Instant NOW = Instant.parse("2026-06-15T12:00:00Z");
    private static final Identity ALICE = Identity.of("AKIDALICE", "alice");
    private static final Identity BOB = Identity.of("AKIDBOB", "bob");

    /** A request of {@code identity} for {@code action} on {@code key} (null: the bucket) of bucket "photos". */
    private static Request request(Identity identity, String action, String key) {
        return new Request(identity, action, key);
    }

    private static final class Request {
        Identity identity;
        String action;
        String key;
        boolean secure = true;
        String ip = "192.0.2.10";
        Map<String, String> keys = new HashMap<>();
        Map<String, String> tags = new HashMap<>();

        Request(Identity identity, String action, String key) {
            this.identity = identity;
            this.action = action;
            this.key = key;
        }

        /** Each change makes a new request, so that one base request serves several cases. */
        private Request copy() {
            Request copy = new Request(identity, action, key);
            copy.secure = secure;
            copy.ip = ip;
            copy.keys.putAll(keys);
            copy.tags.putAll(tags);
            return copy;
        }

        Request insecure() {
            Request copy = copy();
            copy.secure = false;
            return copy;
        }

        Request from(String address) {
            Request copy = copy();
            copy.ip = address;
            return copy;
        }

        Request with(String name, String value) {
            Request copy = copy();
            copy.keys.put(name, value);
            return copy;
        }

        Request tagged(String name, String value) {
            Request copy = copy();
            copy.tags.put(name, value);
            return copy;
        }

        AccessRequest build() {
            return new AccessRequest(identity, action, "photos", key, secure, ip, Map.copyOf(keys),
                    k -> Optional.ofNullable(tags.get(k)));
        }
    }

    private static PolicyDocument policy(String statements) {
        return PolicyParser.parse(("{\"Version\":\"2012-10-17\",\"Statement\":[" + statements + "]}")
                .getBytes(StandardCharsets.UTF_8), "photos");
    }

    private static PolicyEffect effect(String statements, Request request) {
        return policy(statements).effect(request.build(), NOW);
    }

    /** An Allow to everyone of s3:GetObject on photos/* with {@code condition} (JSON object, or empty). */
    private static String allowGet(String condition) {
        return "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\"" + (condition.isEmpty() ? "" : ",\"Condition\":" + condition)
                + "}";
    }

    private static PolicyEffect get(String condition, Request request) {
        return effect(allowGet(condition), request);
    }

    @Test
    void anAllowToEveryoneCoversAnonymousAndSignedRequests() {
        assertThat(get("", request(Identity.ANONYMOUS, "s3:GetObject", "a/b.jpg"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(get("", request(ALICE, "s3:GetObject", "a/b.jpg"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(get("", request(ALICE, "s3:PutObject", "a/b.jpg"))).isEqualTo(PolicyEffect.NONE);
        assertThat(get("", request(ALICE, "s3:ListBucket", null))).isEqualTo(PolicyEffect.NONE);
    }

    @Test
    void anExplicitDenyWinsOverAnyAllow() {
        String statements = allowGet("") + ",{\"Effect\":\"Deny\",\"Principal\":{\"AWS\":\"arn:aws:iam::AKIDBOB:root\"},"
                + "\"Action\":\"s3:*\",\"Resource\":[\"arn:aws:s3:::photos\",\"arn:aws:s3:::photos/*\"]}";
        assertThat(effect(statements, request(BOB, "s3:GetObject", "x"))).isEqualTo(PolicyEffect.DENY);
        assertThat(effect(statements, request(BOB, "s3:ListBucket", null))).isEqualTo(PolicyEffect.DENY);
        assertThat(effect(statements, request(ALICE, "s3:GetObject", "x"))).isEqualTo(PolicyEffect.ALLOW);
        // Order does not matter.
        String reversed = statements.substring(allowGet("").length() + 1) + "," + allowGet("");
        assertThat(effect(reversed, request(BOB, "s3:GetObject", "x"))).isEqualTo(PolicyEffect.DENY);
    }

    @Test
    void principalsMatchByCanonicalIdAccessKeyAndNeverAnonymousUnlessEveryone() {
        String byCanonical = "{\"Effect\":\"Allow\",\"Principal\":{\"CanonicalUser\":\"" + ALICE.canonicalId()
                + "\"},\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"}";
        assertThat(effect(byCanonical, request(ALICE, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(byCanonical, request(BOB, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.NONE);
        assertThat(effect(byCanonical, request(Identity.ANONYMOUS, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.NONE);
        String byAwsCanonical = byCanonical.replace("CanonicalUser", "AWS");
        assertThat(effect(byAwsCanonical, request(ALICE, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.ALLOW);
        String byRoot = "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":[\"arn:aws:iam::AKIDALICE:root\"]},"
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"}";
        assertThat(effect(byRoot, request(ALICE, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(byRoot, request(BOB, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.NONE);
        String awsStar = byRoot.replace("[\"arn:aws:iam::AKIDALICE:root\"]", "\"*\"");
        assertThat(effect(awsStar, request(Identity.ANONYMOUS, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.ALLOW);
    }

    @Test
    void notPrincipalNotActionAndNotResourceMatchTheComplement() {
        String denyAllButAlice = "{\"Effect\":\"Deny\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::AKIDALICE:root\"},"
                + "\"NotAction\":[\"s3:Get*\",\"s3:List*\"],\"NotResource\":\"arn:aws:s3:::photos/public/*\"}";
        assertThat(effect(denyAllButAlice, request(BOB, "s3:PutObject", "private/x"))).isEqualTo(PolicyEffect.DENY);
        assertThat(effect(denyAllButAlice, request(Identity.ANONYMOUS, "s3:DeleteObject", "x")))
                .isEqualTo(PolicyEffect.DENY);
        assertThat(effect(denyAllButAlice, request(ALICE, "s3:PutObject", "private/x"))).isEqualTo(PolicyEffect.NONE);
        assertThat(effect(denyAllButAlice, request(BOB, "s3:GetObject", "private/x"))).isEqualTo(PolicyEffect.NONE);
        assertThat(effect(denyAllButAlice, request(BOB, "s3:PutObject", "public/x"))).isEqualTo(PolicyEffect.NONE);
    }

    @Test
    void actionsMatchWithWildcardsInAnyCaseAndResourcesWithWildcardsExactly() {
        String statement = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":[\"S3:GET*\",\"s3:PutObj?ct\"],"
                + "\"Resource\":\"arn:aws:s3:::photos/2026/??/*.jpg\"}";
        assertThat(effect(statement, request(BOB, "s3:GetObjectTagging", "2026/06/a.jpg")))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(statement, request(BOB, "s3:PutObject", "2026/06/deep/a.jpg")))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(statement, request(BOB, "s3:PutObject", "2026/6/a.jpg"))).isEqualTo(PolicyEffect.NONE);
        assertThat(effect(statement, request(BOB, "s3:PutObject", "2026/06/a.JPG"))).isEqualTo(PolicyEffect.NONE);
        assertThat(effect(statement, request(BOB, "s3:DeleteObject", "2026/06/a.jpg"))).isEqualTo(PolicyEffect.NONE);
        String bucketOnly = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:*\","
                + "\"Resource\":\"arn:aws:s3:::photos\"}";
        assertThat(effect(bucketOnly, request(BOB, "s3:ListBucket", null))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(bucketOnly, request(BOB, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.NONE);
    }

    @Test
    void secureTransportFalseDeniesPlainHttp() {
        String deny = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:*\",\"Resource\":"
                + "[\"arn:aws:s3:::photos\",\"arn:aws:s3:::photos/*\"],"
                + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}";
        assertThat(effect(deny, request(ALICE, "s3:GetObject", "k").insecure())).isEqualTo(PolicyEffect.DENY);
        assertThat(effect(deny, request(ALICE, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.NONE);
    }

    @Test
    void stringOperators() {
        Request list = request(BOB, "s3:ListBucket", null).with("s3:prefix", "Home/bob/");
        String listWith = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":%s}";
        assertThat(effect(listWith.formatted("{\"StringEquals\":{\"s3:prefix\":[\"x\",\"Home/bob/\"]}}"), list))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"StringEquals\":{\"s3:prefix\":\"home/bob/\"}}"), list))
                .isEqualTo(PolicyEffect.NONE);
        assertThat(effect(listWith.formatted("{\"StringEqualsIgnoreCase\":{\"s3:prefix\":\"home/BOB/\"}}"), list))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"StringNotEqualsIgnoreCase\":{\"s3:prefix\":\"home/BOB/\"}}"), list))
                .isEqualTo(PolicyEffect.NONE);
        assertThat(effect(listWith.formatted("{\"StringNotEquals\":{\"s3:prefix\":\"other\"}}"), list))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"StringLike\":{\"s3:prefix\":\"Home/*\"}}"), list))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"StringLike\":{\"s3:prefix\":\"Home/???/\"}}"), list))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"StringNotLike\":{\"s3:prefix\":\"Home/*\"}}"), list))
                .isEqualTo(PolicyEffect.NONE);
        // Condition key names are case-insensitive.
        assertThat(effect(listWith.formatted("{\"StringEquals\":{\"S3:Prefix\":\"Home/bob/\"}}"), list))
                .isEqualTo(PolicyEffect.ALLOW);
        // Several keys and operators must all hold.
        assertThat(effect(listWith.formatted("{\"StringEquals\":{\"s3:prefix\":\"Home/bob/\",\"s3:delimiter\":\"/\"}}"),
                list)).isEqualTo(PolicyEffect.NONE);
        assertThat(effect(listWith.formatted("{\"StringEquals\":{\"s3:prefix\":\"Home/bob/\",\"s3:delimiter\":\"/\"}}"),
                list.with("s3:delimiter", "/"))).isEqualTo(PolicyEffect.ALLOW);
    }

    @Test
    void aKeyTheRequestLacksFailsPositiveOperatorsAndPassesNegatedAndIfExists() {
        Request noPrefix = request(BOB, "s3:ListBucket", null);
        String listWith = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":%s}";
        assertThat(effect(listWith.formatted("{\"StringLike\":{\"s3:prefix\":\"*\"}}"), noPrefix))
                .isEqualTo(PolicyEffect.NONE);
        assertThat(effect(listWith.formatted("{\"StringNotEquals\":{\"s3:prefix\":\"x\"}}"), noPrefix))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"StringEqualsIfExists\":{\"s3:prefix\":\"x\"}}"), noPrefix))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"StringEqualsIfExists\":{\"s3:prefix\":\"x\"}}"),
                noPrefix.with("s3:prefix", "y"))).isEqualTo(PolicyEffect.NONE);
        assertThat(effect(listWith.formatted("{\"Null\":{\"s3:delimiter\":\"true\"}}"), noPrefix))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"Null\":{\"s3:delimiter\":\"false\"}}"), noPrefix))
                .isEqualTo(PolicyEffect.NONE);
        assertThat(effect(listWith.formatted("{\"ForAllValues:StringEquals\":{\"s3:prefix\":\"x\"}}"), noPrefix))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"ForAnyValue:StringEquals\":{\"s3:prefix\":\"x\"}}"), noPrefix))
                .isEqualTo(PolicyEffect.NONE);
        assertThat(effect(listWith.formatted("{\"ForAnyValue:StringEquals\":{\"s3:prefix\":[\"x\",\"y\"]}}"),
                noPrefix.with("s3:prefix", "y"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(effect(listWith.formatted("{\"ForAllValues:StringLike\":{\"s3:prefix\":\"a*\"}}"),
                noPrefix.with("s3:prefix", "b"))).isEqualTo(PolicyEffect.NONE);
    }

    @Test
    void numericOperators() {
        Request list = request(BOB, "s3:ListBucket", null).with("s3:max-keys", "100");
        String listWith = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::photos\",\"Condition\":{\"%s\":{\"s3:max-keys\":%s}}}";
        Object[][] cases = {{"NumericEquals", "100", true}, {"NumericEquals", "\"100.0\"", true},
            {"NumericNotEquals", "100", false}, {"NumericLessThan", "100", false}, {"NumericLessThanEquals", "100", true},
            {"NumericGreaterThan", "99", true}, {"NumericGreaterThanEquals", "101", false},
            {"NumericLessThan", "[5, 200]", true}};
        for (Object[] c : cases) {
            assertThat(effect(listWith.formatted(c[0], c[1]), list)).as("%s %s", c[0], c[1])
                    .isEqualTo((Boolean) c[2] ? PolicyEffect.DENY : PolicyEffect.NONE);
        }
        assertThat(effect(listWith.formatted("NumericLessThan", "5"), list.with("s3:max-keys", "many")))
                .isEqualTo(PolicyEffect.NONE);
    }

    @Test
    void dateOperatorsOnCurrentAndEpochTime() {
        String with = "{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\",\"Condition\":{\"%s\":{\"%s\":\"%s\"}}}";
        Request get = request(Identity.ANONYMOUS, "s3:GetObject", "k");
        Object[][] cases = {{"DateLessThan", "aws:CurrentTime", "2026-07-01T00:00:00Z", true},
            {"DateLessThan", "aws:CurrentTime", "2026-06-01", false},
            {"DateGreaterThan", "aws:CurrentTime", "2026-06-15T11:00:00-02:00", false},
            {"DateGreaterThanEquals", "aws:CurrentTime", "2026-06-15T12:00:00Z", true},
            {"DateEquals", "aws:EpochTime", Long.toString(NOW.getEpochSecond()), true},
            {"DateNotEquals", "aws:CurrentTime", "2026-06-15T12:00:00Z", false},
            {"DateLessThanEquals", "aws:EpochTime", "2026-06-15T12:00:00Z", true},
            {"NumericGreaterThan", "aws:EpochTime", "1700000000", true}};
        for (Object[] c : cases) {
            assertThat(effect(with.formatted(c[0], c[1], c[2]), get)).as("%s %s %s", c[0], c[1], c[2])
                    .isEqualTo((Boolean) c[3] ? PolicyEffect.ALLOW : PolicyEffect.NONE);
        }
    }

    @Test
    void ipAddressBlocksV4AndV6() {
        String within = "{\"IpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"2001:db8::/32\"]}}";
        assertThat(get(within, request(BOB, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(get(within, request(BOB, "s3:GetObject", "k").from("192.0.3.1"))).isEqualTo(PolicyEffect.NONE);
        assertThat(get(within, request(BOB, "s3:GetObject", "k").from("2001:db8:ffff::1")))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(get(within, request(BOB, "s3:GetObject", "k").from("2001:db9::1"))).isEqualTo(PolicyEffect.NONE);
        String single = "{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.7\"}}";
        assertThat(get(single, request(BOB, "s3:GetObject", "k").from("203.0.113.7"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(get(single, request(BOB, "s3:GetObject", "k").from("203.0.113.8"))).isEqualTo(PolicyEffect.NONE);
        String outside = "{\"NotIpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}";
        assertThat(get(outside, request(BOB, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(get(outside, request(BOB, "s3:GetObject", "k").from("10.1.2.3"))).isEqualTo(PolicyEffect.NONE);
    }

    @Test
    void objectTagsAndRequestKeys() {
        String existing = "{\"StringEquals\":{\"s3:ExistingObjectTag/class\":\"public\"}}";
        assertThat(get(existing, request(BOB, "s3:GetObject", "k").tagged("class", "public")))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(get(existing, request(BOB, "s3:GetObject", "k").tagged("Class", "public")))
                .isEqualTo(PolicyEffect.NONE);
        assertThat(get(existing, request(BOB, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.NONE);
        String put = "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\",\"Condition\":{\"StringNotEquals\":"
                + "{\"s3:x-amz-server-side-encryption\":\"AES256\"}}}";
        assertThat(effect(put, request(BOB, "s3:PutObject", "k"))).isEqualTo(PolicyEffect.DENY);
        assertThat(effect(put, request(BOB, "s3:PutObject", "k").with("s3:x-amz-server-side-encryption", "AES256")))
                .isEqualTo(PolicyEffect.NONE);
        String acl = "{\"StringEquals\":{\"s3:RequestObjectTag/team\":\"a\",\"s3:x-amz-acl\":\"private\","
                + "\"s3:VersionId\":\"v1\"}}";
        Request tagged = request(BOB, "s3:GetObject", "k").with("s3:RequestObjectTag/team", "a")
                .with("s3:x-amz-acl", "private");
        assertThat(get(acl, tagged)).isEqualTo(PolicyEffect.NONE);
        assertThat(get(acl, tagged.with("s3:VersionId", "v1"))).isEqualTo(PolicyEffect.ALLOW);
    }

    @Test
    void userKeys() {
        assertThat(get("{\"StringEquals\":{\"aws:username\":\"alice\"}}", request(ALICE, "s3:GetObject", "k")))
                .isEqualTo(PolicyEffect.ALLOW);
        assertThat(get("{\"StringEquals\":{\"aws:userid\":\"anonymous\"}}",
                request(Identity.ANONYMOUS, "s3:GetObject", "k"))).isEqualTo(PolicyEffect.ALLOW);
        assertThat(get("{\"StringEquals\":{\"aws:userid\":\"AKIDBOB\"}}", request(ALICE, "s3:GetObject", "k")))
                .isEqualTo(PolicyEffect.NONE);
        assertThat(get("{\"Null\":{\"aws:SourceVpc\":\"true\"}}", request(ALICE, "s3:GetObject", "k")))
                .isEqualTo(PolicyEffect.ALLOW);
    }

    @Test
    void publicIsAnAllowToEveryoneWithoutANarrowingCondition() {
        assertThat(policy(allowGet("")).isPublic()).isTrue();
        assertThat(policy(allowGet("").replace("\"*\"", "{\"AWS\":\"*\"}")).isPublic()).isTrue();
        assertThat(policy(allowGet("").replace("Allow", "Deny")).isPublic()).isFalse();
        assertThat(policy(allowGet("").replace("\"*\"", "{\"AWS\":\"arn:aws:iam::AKIDBOB:root\"}")).isPublic())
                .isFalse();
        assertThat(policy(allowGet("{\"IpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}")).isPublic()).isFalse();
        assertThat(policy(allowGet("{\"IpAddress\":{\"aws:SourceIp\":\"0.0.0.0/0\"}}")).isPublic()).isTrue();
        assertThat(policy(allowGet("{\"IpAddress\":{\"aws:SourceIp\":[\"192.0.2.0/24\",\"::/0\"]}}")).isPublic())
                .isTrue();
        assertThat(policy(allowGet("{\"NotIpAddress\":{\"aws:SourceIp\":\"192.0.2.0/24\"}}")).isPublic()).isTrue();
        assertThat(policy(allowGet("{\"StringEquals\":{\"aws:SourceVpc\":\"vpc-1\"}}")).isPublic()).isFalse();
        assertThat(policy(allowGet("{\"StringEquals\":{\"aws:PrincipalAccount\":\"x\"}}")).isPublic()).isFalse();
        assertThat(policy(allowGet("{\"StringLike\":{\"aws:userid\":\"AKID*\"}}")).isPublic()).isTrue();
        assertThat(policy(allowGet("{\"StringEqualsIfExists\":{\"aws:SourceVpc\":\"vpc-1\"}}")).isPublic()).isTrue();
        assertThat(policy(allowGet("{\"Bool\":{\"aws:SecureTransport\":\"true\"}}")).isPublic()).isTrue();
        assertThat(policy("{\"Effect\":\"Allow\",\"NotPrincipal\":{\"AWS\":\"arn:aws:iam::AKIDBOB:root\"},"
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\"}").isPublic()).isTrue();
    }
}
