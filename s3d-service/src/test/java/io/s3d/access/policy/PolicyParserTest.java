package io.s3d.access.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What PutBucketPolicy accepts and what it refuses, each refusal with its MalformedPolicy message. */
class PolicyParserTest {
    private static final String BUCKET = "photos";

    static PolicyDocument parse(String json) {
        return PolicyParser.parse(json.getBytes(StandardCharsets.UTF_8), BUCKET);
    }

    /** A policy of one statement made of {@code fields} (JSON members, without braces). */
    static String statement(String fields) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{" + fields + "}]}";
    }

    static String allow(String principal, String action, String resource) {
        return statement("\"Effect\":\"Allow\",\"Principal\":" + principal + ",\"Action\":" + action
                + ",\"Resource\":" + resource);
    }

    private static void refused(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(S3Exception.class)
                .satisfies(e -> {
                    S3Exception s3 = (S3Exception) e;
                    assertThat(s3.errorCode()).isEqualTo(S3ErrorCode.MALFORMED_POLICY);
                    assertThat(s3.code()).isEqualTo("MalformedPolicy");
                    assertThat(s3.errorCode().status()).isEqualTo(400);
                })
                .hasMessage(message);
    }

    @Test
    void acceptsTheUsualPublicReadPolicy() {
        PolicyDocument policy = parse("""
                {"Version": "2012-10-17", "Id": "p1", "Statement": {"Sid": "PublicRead", "Effect": "Allow",
                 "Principal": "*", "Action": ["s3:GetObject", "s3:GetObjectVersion"],
                 "Resource": "arn:aws:s3:::photos/*"}}""");
        assertThat(policy.version()).isEqualTo("2012-10-17");
        assertThat(policy.id()).isEqualTo("p1");
        assertThat(policy.statements()).hasSize(1);
        assertThat(policy.statements().get(0).sid()).isEqualTo("PublicRead");
        assertThat(policy.statements().get(0).allow()).isTrue();
    }

    @Test
    void acceptsAWholeVocabularyOfPrincipalsActionsAndConditions() {
        String id = io.s3d.access.Identity.canonicalIdOf("AKIDEXAMPLE");
        PolicyDocument policy = parse(statement("""
                "Effect": "Deny", "NotPrincipal": {"AWS": ["arn:aws:iam::AKIDEXAMPLE:root", "%s"],
                  "CanonicalUser": "%s"},
                "NotAction": "s3:get*", "NotResource": ["arn:aws:s3:::photos", "arn:aws:s3:::photos/k?y"],
                "Condition": {"ForAnyValue:StringLikeIfExists": {"s3:prefix": ["a/*", "b"]},
                  "NumericLessThanEquals": {"s3:max-keys": 10}, "Bool": {"aws:SecureTransport": false},
                  "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "2001:db8::/32"]},
                  "DateGreaterThan": {"aws:CurrentTime": "2020-01-01T00:00:00Z"}, "Null": {"s3:x-amz-acl": "true"},
                  "StringEquals": {"s3:ExistingObjectTag/class": "public", "S3:RequestObjectTag/Team": "x"}}
                """.formatted(id, id)));
        Statement statement = policy.statements().get(0);
        assertThat(statement.notPrincipal()).isTrue();
        assertThat(statement.principals().accessKeyIds()).containsExactly("AKIDEXAMPLE");
        assertThat(statement.principals().canonicalIds()).containsExactly(id);
        assertThat(statement.conditions()).hasSize(8);
        assertThat(statement.conditions()).extracting(Condition::key).contains("s3:RequestObjectTag/Team",
                "aws:SecureTransport");
    }

    @Test
    void versionIsOptionalAndDefaultsTo2008() {
        assertThat(parse("{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::photos\"}}").version()).isEqualTo("2008-10-17");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "not json at all",
        "[1, 2]",
        "{\"Statement\": [}",
        "{} {}",
    })
    void refusesWhatIsNotAJsonObject(String body) {
        refused(body, "Policies must be valid JSON and the first byte must be '{'");
    }

    @Test
    void refusesDuplicateFields() {
        refused("{\"Statement\":[],\"Statement\":[]}", "Policies must be valid JSON and the first byte must be '{'");
    }

    @Test
    void refusesAPolicyOverTwentyKilobytes() {
        String padding = " ".repeat(PolicyParser.MAX_SIZE);
        refused(allow("\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::photos/*\"") + padding,
                "Policy exceeds the maximum allowed document size.");
    }

    @Test
    void refusesAMissingOrEmptyStatementAndUnknownFields() {
        refused("{\"Version\":\"2012-10-17\"}", "Missing required field Statement");
        refused("{\"Version\":\"2012-10-17\",\"Statement\":[]}", "Could not parse the policy: Statement is empty!");
        refused("{\"Version\":\"2012-10-17\",\"Extra\":1,\"Statement\":[]}", "Unknown field Extra");
        refused(statement("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\",\"Actions\":\"s3:PutObject\""), "Unknown field Actions");
        refused("{\"Version\":\"2012-10-17\",\"Statement\":[\"Allow\"]}", "Each Statement must be a JSON object");
    }

    @Test
    void refusesAnUnknownVersion() {
        refused("{\"Version\":\"2020-01-01\",\"Statement\":{}}", "The policy must contain a valid version string");
    }

    @Test
    void refusesMissingOrInvalidEffect() {
        refused(statement("\"Principal\":\"*\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\""),
                "Missing required field Effect");
        refused(statement("\"Effect\":\"allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\""), "Invalid effect: allow");
    }

    @Test
    void refusesAMissingPrincipalAndUnsupportedForms() {
        refused(statement("\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\""),
                "Missing required field Principal");
        for (String principal : new String[] {"\"someone\"", "{\"Service\":\"cloudtrail.amazonaws.com\"}",
            "{\"Federated\":\"cognito-identity.amazonaws.com\"}", "{\"AWS\":\"arn:aws:iam::123456789012:user/bob\"}",
            "{\"AWS\":\"arn:aws:iam::*:root\"}", "{\"CanonicalUser\":\"*\"}", "{}", "{\"AWS\":[]}", "{\"AWS\":42}"}) {
            refused(allow(principal, "\"s3:GetObject\"", "\"arn:aws:s3:::photos/*\""), "Invalid principal in policy");
        }
        refused(statement("\"Effect\":\"Deny\",\"NotPrincipal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\""), "Invalid principal in policy");
        refused(statement("\"Effect\":\"Deny\",\"Principal\":\"*\",\"NotPrincipal\":{\"AWS\":\"*\"},"
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::photos/*\""),
                "Statement cannot contain both Principal and NotPrincipal");
    }

    @Test
    void refusesActionsThatAreNoS3Action() {
        for (String action : new String[] {"\"s3:GetObjekt\"", "\"iam:PassRole\"", "\"ec2:*\"", "\"GetObject\"",
            "[\"s3:GetObject\", \"sqs:SendMessage\"]", "[]", "7"}) {
            refused(allow("\"*\"", action, "\"arn:aws:s3:::photos/*\""), "Policy has invalid action");
        }
        refused(statement("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Resource\":\"arn:aws:s3:::photos/*\""),
                "Missing required field Action");
    }

    @Test
    void actionNamesAreCaseInsensitiveAndTakeWildcards() {
        parse(allow("\"*\"", "[\"S3:getobject\", \"s3:Get*\", \"s3:*Object\", \"s3:PutObj?ct\", \"*\"]",
                "\"arn:aws:s3:::photos/*\""));
    }

    @Test
    void refusesResourcesOfAnotherBucketOrService() {
        for (String resource : new String[] {"\"arn:aws:s3:::other/*\"", "\"arn:aws:s3:::other\"",
            "\"arn:aws:s3:::photos2/*\"", "\"arn:aws:sqs:us-east-1:123456789012:queue\"", "\"photos/*\"",
            "\"arn:aws:s3:::\"", "[\"arn:aws:s3:::photos/*\", \"arn:aws:s3:::other/*\"]"}) {
            refused(allow("\"*\"", "\"s3:GetObject\"", resource), "Policy has invalid resource");
        }
        refused(statement("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\""),
                "Missing required field Resource");
    }

    @Test
    void resourcesMayUseWildcardsThatCoverThisBucket() {
        parse(allow("\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::pho*/*\""));
        parse(allow("\"*\"", "\"s3:ListBucket\"", "\"arn:aws:s3:::*\""));
        parse(allow("\"*\"", "\"s3:ListBucket\"", "\"*\""));
    }

    @Test
    void refusesAnActionThatAppliesToNoResourceOfTheStatement() {
        refused(allow("\"*\"", "\"s3:ListBucket\"", "\"arn:aws:s3:::photos/*\""),
                "Action does not apply to any resource(s) in statement");
        refused(allow("\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::photos\""),
                "Action does not apply to any resource(s) in statement");
        refused(allow("\"*\"", "\"s3:ListAllMyBuckets\"", "\"arn:aws:s3:::photos\""),
                "Action does not apply to any resource(s) in statement");
        // One action of the list applying is enough, as with AWS.
        parse(allow("\"*\"", "[\"s3:ListBucket\", \"s3:GetObject\"]", "\"arn:aws:s3:::photos/*\""));
    }

    @Test
    void refusesConditionsS3dDoesNotEvaluate() {
        String base = "\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\",\"Condition\":";
        refused(statement(base + "{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:sns:*\"}}"),
                "Policy has an invalid condition operator: ArnLike");
        refused(statement(base + "{\"StringEqualsIfExist\":{\"s3:prefix\":\"a\"}}"),
                "Policy has an invalid condition operator: StringEqualsIfExist");
        refused(statement(base + "{\"ForAnyValue:Null\":{\"s3:prefix\":\"true\"}}"),
                "Policy has an invalid condition operator: ForAnyValue:Null");
        refused(statement(base + "{\"StringEquals\":{\"aws:Referer\":\"http://example.com/\"}}"),
                "Policy has an invalid condition key: aws:Referer");
        refused(statement(base + "{\"StringEquals\":{\"s3:ExistingObjectTag/\":\"x\"}}"),
                "Policy has an invalid condition key: s3:ExistingObjectTag/");
        refused(statement(base + "{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/33\"}}"),
                "Invalid value for IpAddress on aws:SourceIp: 10.0.0.0/33");
        refused(statement(base + "{\"IpAddress\":{\"aws:SourceIp\":\"example.com\"}}"),
                "Invalid value for IpAddress on aws:SourceIp: example.com");
        refused(statement(base + "{\"IpAddress\":{\"s3:prefix\":\"10.0.0.0/8\"}}"),
                "IpAddress applies only to aws:SourceIp, not to s3:prefix");
        refused(statement(base + "{\"NumericLessThan\":{\"s3:max-keys\":\"ten\"}}"),
                "Invalid value for NumericLessThan on s3:max-keys: ten");
        refused(statement(base + "{\"DateLessThan\":{\"aws:CurrentTime\":\"yesterday\"}}"),
                "Invalid value for DateLessThan on aws:CurrentTime: yesterday");
        refused(statement(base + "{\"Bool\":{\"aws:SecureTransport\":\"yes\"}}"),
                "Invalid value for Bool on aws:SecureTransport: yes");
        refused(statement(base + "{\"StringEquals\":{\"s3:prefix\":{\"a\":1}}}"),
                "Invalid value for StringEquals on s3:prefix: {\"a\":1}");
        refused(statement(base + "{\"StringEquals\":{}}"), "Condition StringEquals must map condition keys to values");
        refused(statement(base + "\"StringEquals\""), "Condition must be a JSON object of operators");
    }

    @Test
    void refusesPolicyVariablesIn2012ButReadsThemAsTextIn2008() {
        refused(allow("\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::photos/${aws:username}/*\""),
                "Policy variables are not supported by s3d: arn:aws:s3:::photos/${aws:username}/*");
        refused(allow("\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::photos/${*}/*\""),
                "Policy variables are not supported by s3d: arn:aws:s3:::photos/${*}/*");
        refused(statement("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::photos\","
                + "\"Condition\":{\"StringLike\":{\"s3:prefix\":\"home/${aws:userid}/*\"}}"),
                "Policy variables are not supported by s3d: home/${aws:userid}/*");
        parse(allow("\"*\"", "\"s3:GetObject\"", "\"arn:aws:s3:::photos/${aws:username}/*\"")
                .replace("2012-10-17", "2008-10-17"));
    }

    @Test
    void refusesDuplicateSids() {
        String one = "{\"Sid\":\"same\",\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"Resource\":\"arn:aws:s3:::photos/*\"}";
        refused("{\"Version\":\"2012-10-17\",\"Statement\":[" + one + "," + one + "]}",
                "Statement IDs (SID) in a single policy must be unique");
    }

    @Test
    void refusesBothListAndNotList() {
        refused(statement("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"NotAction\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::photos/*\""),
                "Statement cannot contain both Action and NotAction");
        refused(statement("\"Effect\":\"Allow\",\"Principal\":\"*\",\"Action\":\"s3:GetObject\","
                + "\"NotResource\":\"arn:aws:s3:::photos/a\",\"Resource\":\"arn:aws:s3:::photos/*\""),
                "Statement cannot contain both Resource and NotResource");
    }
}
