package io.s3d.access.policy;

import io.s3d.access.AccessRequest;
import java.time.Instant;
import java.util.List;

/**
 * One key under one operator of a statement's Condition block, e.g. {@code "StringLike": {"s3:prefix":
 * ["home/", "home/*"]}}. The policy's values are alternatives (any may match); the keys and operators
 * of a block must all hold.
 */
record Condition(ConditionOperator operator, String key, List<String> values) {
    boolean holds(AccessRequest request, Instant now) {
        List<String> actual = ConditionKeys.values(key, request, now);
        if (operator.comparison() == ConditionOperator.Comparison.NULL) {
            // "Null": true asks that the key be absent, false that it be present.
            return values.stream().anyMatch(v -> Boolean.parseBoolean(v) == actual.isEmpty());
        }
        if (actual.isEmpty()) {
            if (operator.ifExists()) {
                return true;
            }
            return switch (operator.qualifier()) {
                case FOR_ALL_VALUES -> true; // every one of no values matches
                case FOR_ANY_VALUE -> false;
                // AWS: a negated operator on a key the request lacks holds (nothing equals the value).
                case NONE -> operator.negated();
            };
        }
        return switch (operator.qualifier()) {
            case FOR_ALL_VALUES -> actual.stream().allMatch(this::valueHolds);
            default -> actual.stream().anyMatch(this::valueHolds);
        };
    }

    private boolean valueHolds(String actual) {
        boolean any = values.stream().anyMatch(expected -> operator.comparison().test(actual, expected));
        return operator.negated() != any;
    }
}
