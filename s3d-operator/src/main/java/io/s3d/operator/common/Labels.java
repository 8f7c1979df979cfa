package io.s3d.operator.common;

import java.util.LinkedHashMap;
import java.util.Map;

/** The labels on every object the operator creates; informers select on {@link #MANAGED_BY}. */
public final class Labels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String OPERATOR = "s3d-operator";
    /** Label selector the dependents' informers use: only our children are cached. */
    public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + OPERATOR;

    private Labels() {
    }

    /** Labels that select the pods of one gateway; immutable once a Deployment exists. */
    public static Map<String, String> selector(String gateway) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, "s3d");
        labels.put(INSTANCE, gateway);
        labels.put(COMPONENT, "gateway");
        return labels;
    }

    /** Selector labels plus managed-by. */
    public static Map<String, String> standard(String gateway) {
        Map<String, String> labels = selector(gateway);
        labels.put(MANAGED_BY, OPERATOR);
        return labels;
    }
}
