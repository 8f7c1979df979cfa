package io.s3d.operator.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import io.s3d.filter.FilterFile;
import io.s3d.filter.FilterParser;
import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;

/**
 * The gateway's filter rules checked with s3d's own parser ({@code io.s3d.filter}, compiled into the
 * operator from s3d-service's sources), so a rule s3d would refuse is reported on the gateway (the
 * FiltersValid condition) before any pod reads it, with the parser's own message (rule, line,
 * column, what was expected). Checked: writeQueue.filter (S3D_WRITE_QUEUE_FILTER), filters.inline
 * and the key filters.configMapRef names (S3D_FILTER_FILE). Pure: the ConfigMap lookup is a function.
 * <p>
 * Rules written in the gateway's spec that do not parse hold the rollout ({@link #blocksRollout()}):
 * a new s3d pod would refuse to start on them (with Recreate, the only pod). A referenced ConfigMap
 * belongs to the user and reaches the pods without the operator, so it is only reported: running
 * s3d keeps its last good rules (it refuses the reload), a new pod refuses to start.
 *
 * @param valid null when the gateway has no filter rules (no condition then)
 */
public record FilterRules(Boolean valid, String reason, String message, boolean blocksRollout) {
    public static final String CONDITION = "FiltersValid";
    public static final String INVALID_RULE = "InvalidFilterRule";
    public static final String POLICY_NOT_FOUND = "FilterPolicyNotFound";
    static final FilterRules NONE = new FilterRules(null, null, null, false);

    /**
     * {@code configMaps}: a ConfigMap's data by name (same namespace), empty when it does not exist;
     * null when the cluster is not read (then filters.configMapRef is not checked).
     */
    public static FilterRules check(S3dGatewaySpec spec, Function<String, Optional<Map<String, String>>> configMaps) {
        if (spec == null) {
            return NONE;
        }
        List<String> checked = new ArrayList<>();
        String queueRules = spec.writeQueue != null && Boolean.TRUE.equals(spec.writeQueue.enabled) ? spec.writeQueue.filter : null;
        if (queueRules != null) {
            try {
                FilterParser.parseList(queueRules);
                checked.add("writeQueue.filter");
            } catch (IllegalArgumentException e) {
                return invalidInSpec("writeQueue.filter (S3D_WRITE_QUEUE_FILTER): " + e.getMessage());
            }
        }
        S3dGatewaySpec.FilterSpec f = spec.filters;
        if (f != null && f.inline != null) {
            try {
                FilterFile.parse(f.inline, "filters.inline");
                checked.add("filters.inline");
            } catch (IllegalArgumentException e) {
                return invalidInSpec(e.getMessage());
            }
        }
        if (configMaps != null && f != null && f.configMapRef != null && f.configMapRef.name != null && !f.configMapRef.name.isBlank()) {
            String key = f.configMapRef.key == null ? "filter-policy" : f.configMapRef.key;
            String source = "ConfigMap " + f.configMapRef.name + " key " + key;
            Optional<Map<String, String>> data = configMaps.apply(f.configMapRef.name);
            if (data.isEmpty() || data.get().get(key) == null) {
                return new FilterRules(false, POLICY_NOT_FOUND, (data.isEmpty() ? "ConfigMap " + f.configMapRef.name + " not found"
                        : source + " not found") + " (filters.configMapRef): the s3d pods cannot mount the filter policy", false);
            }
            try {
                FilterFile.parse(data.get().get(key), source);
                checked.add(source);
            } catch (IllegalArgumentException e) {
                return new FilterRules(false, INVALID_RULE, e.getMessage() + "; running s3d keeps its last good rules, "
                        + "a new s3d pod refuses to start until the rule is fixed", false);
            }
        }
        return checked.isEmpty() ? NONE
                : new FilterRules(true, "RulesParsed", "the filter rules parse: " + String.join(", ", checked), false);
    }

    private static FilterRules invalidInSpec(String error) {
        return new FilterRules(false, INVALID_RULE, error + "; the gateway is left as it was until the rule is fixed "
                + "(s3d would refuse to start on it)", true);
    }

    /** Whether the gateway has filter rules to report on. */
    public boolean applies() {
        return valid != null;
    }
}
