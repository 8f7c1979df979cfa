package io.s3d.filter;

/** An outside policy asked after the rules selected an object (Open Policy Agent). */
public interface PolicyDecider {
    /** Whether the policy allows {@code facts} for {@code purpose}; failures follow the decider's own policy. */
    boolean allows(Purpose purpose, ObjectFacts facts);
}
