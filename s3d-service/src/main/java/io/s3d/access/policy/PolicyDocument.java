package io.s3d.access.policy;

import io.s3d.access.AccessRequest;
import io.s3d.access.PolicyEffect;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** A validated bucket policy: its statements, evaluated as AWS does (an explicit Deny wins over any Allow). */
public record PolicyDocument(String version, String id, List<Statement> statements) {
    /**
     * Condition keys that, fixed to a value by a positive operator, keep an Allow to everyone from
     * being public (AWS's definition of a public policy); the others of AWS's list are keys s3d does
     * not accept (aws:PrincipalOrgID, aws:SourceArn, ...).
     */
    private static final Set<String> NARROWING_KEYS = Set.of(ConditionKeys.SOURCE_IP, "aws:SourceVpc",
            "aws:SourceVpce", "aws:PrincipalAccount", "aws:userid");

    /** Deny if a Deny statement applies, else Allow if an Allow statement does, else NONE. */
    public PolicyEffect effect(AccessRequest request, Instant now) {
        PolicyEffect effect = PolicyEffect.NONE;
        for (Statement statement : statements) {
            if (statement.applies(request, now)) {
                if (!statement.allow()) {
                    return PolicyEffect.DENY;
                }
                effect = PolicyEffect.ALLOW;
            }
        }
        return effect;
    }

    /**
     * AWS's "public": some Allow statement names everyone (Principal {@code "*"} or any NotPrincipal)
     * without a condition that fixes one of the narrowing keys (a source address block other than
     * {@code /0}, a VPC, an account, a user id).
     */
    public boolean isPublic() {
        return statements.stream().anyMatch(s -> s.allow() && (s.notPrincipal() || s.principals().everyone())
                && s.conditions().stream().noneMatch(PolicyDocument::narrows));
    }

    private static boolean narrows(Condition condition) {
        ConditionOperator operator = condition.operator();
        if (!NARROWING_KEYS.contains(condition.key()) || operator.negated() || operator.ifExists()
                || operator.qualifier() == ConditionOperator.SetQualifier.FOR_ALL_VALUES) {
            return false;
        }
        return switch (operator.comparison()) {
            case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE -> true;
            case STRING_LIKE -> condition.values().stream().noneMatch(v -> Glob.of(v, false).hasWildcard());
            case IP_ADDRESS -> condition.values().stream()
                    .noneMatch(v -> IpRange.parse(v).map(IpRange::everything).orElse(true));
            default -> false;
        };
    }
}
