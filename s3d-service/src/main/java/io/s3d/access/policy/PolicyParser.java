package io.s3d.access.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.s3d.backend.S3ErrorCode;
import io.s3d.backend.S3Exception;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates a bucket policy as PutBucketPolicy does. Whatever s3d would not evaluate
 * exactly (an operator, a condition key, a principal form, a policy variable, an action that is no
 * S3 action) is refused with 400 MalformedPolicy naming it: a policy part that is silently ignored
 * grants or denies something other than what its author wrote.
 */
public final class PolicyParser {
    /** AWS's limit on a bucket policy. */
    public static final int MAX_SIZE = 20 * 1024;
    static final String ARN_PREFIX = "arn:aws:s3:::";
    static final String INVALID_JSON = "Policies must be valid JSON and the first byte must be '{'";
    private static final Set<String> VERSIONS = Set.of("2012-10-17", "2008-10-17");
    private static final Set<String> TOP_FIELDS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of("Sid", "Effect", "Principal", "NotPrincipal", "Action",
            "NotAction", "Resource", "NotResource", "Condition");
    private static final Pattern CANONICAL_ID = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern ACCOUNT_ROOT = Pattern.compile("arn:aws:iam::([^:/*?]+):root");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private PolicyParser() {
    }

    /** The policy {@code json} put on {@code bucket}, validated; MalformedPolicy naming the first fault otherwise. */
    public static PolicyDocument parse(byte[] json, String bucket) {
        if (json.length > MAX_SIZE) {
            throw malformed("Policy exceeds the maximum allowed document size.");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed(INVALID_JSON);
        } catch (IOException e) {
            throw malformed(INVALID_JSON);
        }
        if (root == null || !root.isObject()) {
            throw malformed(INVALID_JSON);
        }
        checkFields(root, TOP_FIELDS);
        String version = "2008-10-17";
        if (root.has("Version")) {
            version = root.get("Version").isTextual() ? root.get("Version").asText() : "";
            if (!VERSIONS.contains(version)) {
                throw malformed("The policy must contain a valid version string");
            }
        }
        String id = root.has("Id") ? text(root.get("Id"), "Id") : null;
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null || statementNode.isNull()) {
            throw malformed("Missing required field Statement");
        }
        List<JsonNode> nodes = new ArrayList<>();
        if (statementNode.isArray()) {
            statementNode.forEach(nodes::add);
        } else {
            nodes.add(statementNode);
        }
        if (nodes.isEmpty()) {
            throw malformed("Could not parse the policy: Statement is empty!");
        }
        boolean variables = version.equals("2012-10-17");
        List<Statement> statements = new ArrayList<>();
        Set<String> sids = new HashSet<>();
        for (JsonNode node : nodes) {
            Statement statement = statement(node, bucket, variables);
            if (statement.sid() != null && !sids.add(statement.sid())) {
                throw malformed("Statement IDs (SID) in a single policy must be unique");
            }
            statements.add(statement);
        }
        return new PolicyDocument(version, id, List.copyOf(statements));
    }

    private static Statement statement(JsonNode node, String bucket, boolean variables) {
        if (!node.isObject()) {
            throw malformed("Each Statement must be a JSON object");
        }
        checkFields(node, STATEMENT_FIELDS);
        String sid = node.has("Sid") ? text(node.get("Sid"), "Sid") : null;
        JsonNode effectNode = node.get("Effect");
        if (effectNode == null) {
            throw malformed("Missing required field Effect");
        }
        String effect = effectNode.isTextual() ? effectNode.asText() : effectNode.toString();
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw malformed("Invalid effect: " + effect);
        }
        boolean notPrincipal = node.has("NotPrincipal");
        if (node.has("Principal") == notPrincipal) {
            throw malformed(notPrincipal ? "Statement cannot contain both Principal and NotPrincipal"
                    : "Missing required field Principal");
        }
        Principals principals = principals(node.get(notPrincipal ? "NotPrincipal" : "Principal"));
        if (notPrincipal && principals.everyone()) {
            throw malformed("Invalid principal in policy");
        }
        boolean notAction = node.has("NotAction");
        if (node.has("Action") == notAction) {
            throw malformed(notAction ? "Statement cannot contain both Action and NotAction"
                    : "Missing required field Action");
        }
        List<Glob> actions = new ArrayList<>();
        List<S3Actions.Entry> named = new ArrayList<>();
        for (String action : strings(node.get(notAction ? "NotAction" : "Action"), "Policy has invalid action")) {
            Glob glob = Glob.of(action, true);
            List<S3Actions.Entry> matching = S3Actions.matching(glob);
            if (matching.isEmpty()) {
                throw malformed("Policy has invalid action");
            }
            actions.add(glob);
            named.addAll(matching);
        }
        boolean notResource = node.has("NotResource");
        if (node.has("Resource") == notResource) {
            throw malformed(notResource ? "Statement cannot contain both Resource and NotResource"
                    : "Missing required field Resource");
        }
        List<Glob> resources = new ArrayList<>();
        boolean onBucket = false;
        boolean onObjects = false;
        for (String resource : strings(node.get(notResource ? "NotResource" : "Resource"),
                "Policy has invalid resource")) {
            checkVariables(resource, variables);
            Glob glob = Glob.of(resource, false);
            if (!resource.equals("*")) {
                checkResource(resource, bucket);
            }
            resources.add(glob);
            onBucket |= glob.matches(ARN_PREFIX + bucket);
            onObjects |= resource.equals("*") || resource.substring(ARN_PREFIX.length()).contains("/")
                    || resource.substring(ARN_PREFIX.length()).contains("*");
        }
        if (!notAction && !notResource) {
            boolean bucketLevel = onBucket;
            boolean objectLevel = onObjects;
            boolean applies = named.stream().anyMatch(a -> a.target() == S3Actions.Target.BUCKET && bucketLevel
                    || a.target() == S3Actions.Target.OBJECT && objectLevel);
            if (!applies) {
                throw malformed("Action does not apply to any resource(s) in statement");
            }
        }
        List<Condition> conditions = node.has("Condition") ? conditions(node.get("Condition"), variables)
                : List.of();
        return new Statement(sid, effect.equals("Allow"), principals, notPrincipal, List.copyOf(actions), notAction,
                List.copyOf(resources), notResource, conditions);
    }

    /** A resource must be an S3 ARN of this bucket or of keys in it. */
    private static void checkResource(String resource, String bucket) {
        if (!resource.startsWith(ARN_PREFIX) || resource.length() == ARN_PREFIX.length()) {
            throw malformed("Policy has invalid resource");
        }
        String path = resource.substring(ARN_PREFIX.length());
        int slash = path.indexOf('/');
        String bucketPart = slash < 0 ? path : path.substring(0, slash);
        if (!Glob.of(bucketPart, false).matches(bucket)) {
            throw malformed("Policy has invalid resource");
        }
    }

    private static Principals principals(JsonNode node) {
        if (node.isTextual()) {
            if (node.asText().equals("*")) {
                return new Principals(true, Set.of(), Set.of());
            }
            throw malformed("Invalid principal in policy");
        }
        if (!node.isObject() || node.isEmpty()) {
            throw malformed("Invalid principal in policy");
        }
        boolean everyone = false;
        Set<String> canonicalIds = new HashSet<>();
        Set<String> accessKeyIds = new HashSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            boolean aws = field.getKey().equals("AWS");
            if (!aws && !field.getKey().equals("CanonicalUser")) {
                throw malformed("Invalid principal in policy");
            }
            for (String value : strings(field.getValue(), "Invalid principal in policy")) {
                if (aws && value.equals("*")) {
                    everyone = true;
                } else if (CANONICAL_ID.matcher(value).matches()) {
                    canonicalIds.add(value.toLowerCase(Locale.ROOT));
                } else if (aws && ACCOUNT_ROOT.matcher(value).matches()) {
                    String account = ACCOUNT_ROOT.matcher(value).replaceFirst("$1");
                    if (CANONICAL_ID.matcher(account).matches()) {
                        canonicalIds.add(account.toLowerCase(Locale.ROOT));
                    } else {
                        accessKeyIds.add(account);
                    }
                } else {
                    throw malformed("Invalid principal in policy");
                }
            }
        }
        return new Principals(everyone, Set.copyOf(canonicalIds), Set.copyOf(accessKeyIds));
    }

    private static List<Condition> conditions(JsonNode node, boolean variables) {
        if (!node.isObject()) {
            throw malformed("Condition must be a JSON object of operators");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            ConditionOperator operator = ConditionOperator.parse(entry.getKey())
                    .orElseThrow(() -> malformed("Policy has an invalid condition operator: " + entry.getKey()));
            if (!entry.getValue().isObject() || entry.getValue().isEmpty()) {
                throw malformed("Condition " + entry.getKey() + " must map condition keys to values");
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = entry.getValue().fields(); keys.hasNext();) {
                Map.Entry<String, JsonNode> keyEntry = keys.next();
                String key = ConditionKeys.canonical(keyEntry.getKey())
                        .orElseThrow(() -> malformed("Policy has an invalid condition key: " + keyEntry.getKey()));
                if (operator.comparison() == ConditionOperator.Comparison.IP_ADDRESS
                        && !key.equals(ConditionKeys.SOURCE_IP)) {
                    throw malformed(entry.getKey() + " applies only to aws:SourceIp, not to " + key);
                }
                List<String> values = conditionValues(keyEntry.getValue(), entry.getKey(), key);
                for (String value : values) {
                    checkVariables(value, variables);
                    if (!operator.accepts(value)) {
                        throw malformed("Invalid value for " + entry.getKey() + " on " + key + ": " + value);
                    }
                }
                conditions.add(new Condition(operator, key, List.copyOf(values)));
            }
        }
        return List.copyOf(conditions);
    }

    private static List<String> conditionValues(JsonNode node, String operator, String key) {
        List<JsonNode> items = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        if (items.isEmpty()) {
            throw malformed("Condition " + operator + " on " + key + " has no value");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : items) {
            if (!item.isTextual() && !item.isNumber() && !item.isBoolean()) {
                throw malformed("Invalid value for " + operator + " on " + key + ": " + item);
            }
            values.add(item.asText());
        }
        return values;
    }

    /**
     * Policy variables ({@code ${aws:username}}, and the escapes {@code ${*}}, {@code ${?}},
     * {@code ${$}}) are read as variables from version 2012-10-17 on; s3d does not substitute them,
     * so it refuses them rather than match the literal text.
     */
    private static void checkVariables(String value, boolean variables) {
        if (variables && value.contains("${")) {
            throw malformed("Policy variables are not supported by s3d: " + value);
        }
    }

    private static void checkFields(JsonNode node, Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                throw malformed("Unknown field " + name);
            }
        }
    }

    private static List<String> strings(JsonNode node, String invalid) {
        List<String> values = new ArrayList<>();
        if (node.isTextual()) {
            values.add(node.asText());
        } else if (node.isArray() && !node.isEmpty()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    throw malformed(invalid);
                }
                values.add(item.asText());
            }
        } else {
            throw malformed(invalid);
        }
        return values;
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) {
            throw malformed(field + " must be a string");
        }
        return node.asText();
    }

    static S3Exception malformed(String message) {
        return new S3Exception(S3ErrorCode.MALFORMED_POLICY, message);
    }
}
