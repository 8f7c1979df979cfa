package io.s3d.operator.api;

import java.util.Map;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;

/**
 * The Kubernetes API reference's descriptions of the core types our CRDs embed (affinity, tolerations,
 * topology spread, resources, image pull secrets). fabric8's model copies their schema into the CRD
 * without descriptions, so {@code kubectl explain s3dgateway.spec.affinity.nodeAffinity} would show
 * nothing. The texts are keyed by Kubernetes type and field ({@code Toleration.key}), not by CRD path:
 * a type used in several places ({@code LabelSelector}, {@code PodAffinityTerm}) is described
 * everywhere. They are the API reference's text, shortened where it runs long.
 */
final class KubernetesDescriptions {

    private static final String KUBERNETES_MODEL = "io.fabric8.kubernetes.api.model.";

    private static final ObjectMapper JSON = new ObjectMapper();

    private KubernetesDescriptions() {
    }

    /**
     * Walks the schema beside the Java type it was generated from and gives every property of a
     * Kubernetes type that has no description the API reference's text for it.
     */
    static void describe(Class<?> type, JSONSchemaProps schema) {
        describe(JSON.constructType(type), schema);
    }

    private static void describe(JavaType type, JSONSchemaProps schema) {
        if (schema == null) {
            return;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            describe(type.getContentType(), schema.getItems() == null ? null : schema.getItems().getSchema());
            return;
        }
        if (type.isMapLikeType()) {
            describe(type.getContentType(), schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema());
            return;
        }
        if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
            return;
        }
        for (BeanPropertyDefinition property : JSON.getSerializationConfig().introspect(type).findProperties()) {
            JSONSchemaProps field = schema.getProperties().get(property.getName());
            if (field == null) {
                continue;
            }
            if (field.getDescription() == null || field.getDescription().isBlank()) {
                field.setDescription(of(type.getRawClass(), property.getName()));
            }
            describe(property.getPrimaryType(), field);
        }
    }

    /** The API reference's description of {@code field} of a Kubernetes type; null for other types. */
    static String of(Class<?> type, String field) {
        if (!type.getName().startsWith(KUBERNETES_MODEL)) {
            return null;
        }
        return TEXTS.get(type.getSimpleName() + "." + field);
    }

    private static final String PREFERRED = "The scheduler will prefer to schedule pods to nodes that satisfy the %s "
            + "expressions specified by this field, but it may choose a node that violates one or more of the expressions. "
            + "The node that is most preferred is the one with the greatest sum of weights, i.e. for each node that meets "
            + "all of the scheduling requirements (resource request, requiredDuringScheduling %s expressions, etc.), "
            + "compute a sum by iterating through the elements of this field and %s if the node %s; the node(s) with the "
            + "highest sum are the most preferred.";

    private static final String REQUIRED_POD = "If the %s requirements specified by this field are not met at scheduling "
            + "time, the pod will not be scheduled onto the node. If the %s requirements specified by this field cease to "
            + "be met at some point during pod execution (e.g. due to a pod label update), the system may or may not try "
            + "to eventually evict the pod from its node. When there are multiple elements, the lists of nodes "
            + "corresponding to each podAffinityTerm are intersected, i.e. all terms must be satisfied.";

    private static final String LABEL_KEYS = "%s is a set of pod label keys to select which pods will be taken into "
            + "consideration. The keys are used to look up values from the incoming pod labels, those key-value labels "
            + "are merged with labelSelector as `key %s (value)` to select the group of existing pods which will be taken "
            + "into consideration for the incoming pod's pod (anti) affinity. Keys that don't exist in the incoming pod "
            + "labels are ignored. The default value is empty. The same key is forbidden to exist in both %s and "
            + "labelSelector. Also, %s cannot be set when labelSelector isn't set.";

    private static final Map<String, String> TEXTS = Map.ofEntries(
            Map.entry("Affinity.nodeAffinity", "Describes node affinity scheduling rules for the pod."),
            Map.entry("Affinity.podAffinity", "Describes pod affinity scheduling rules (e.g. co-locate this pod in the "
                    + "same node, zone, etc. as some other pod(s))."),
            Map.entry("Affinity.podAntiAffinity", "Describes pod anti-affinity scheduling rules (e.g. avoid putting this "
                    + "pod in the same node, zone, etc. as some other pod(s))."),

            Map.entry("NodeAffinity.requiredDuringSchedulingIgnoredDuringExecution", "If the affinity requirements "
                    + "specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. "
                    + "If the affinity requirements specified by this field cease to be met at some point during pod "
                    + "execution (e.g. due to an update), the system may or may not try to eventually evict the pod from "
                    + "its node."),
            Map.entry("NodeAffinity.preferredDuringSchedulingIgnoredDuringExecution", PREFERRED.formatted("affinity",
                    "affinity", "adding \"weight\" to the sum", "matches the corresponding matchExpressions")),

            Map.entry("NodeSelector.nodeSelectorTerms", "Required. A list of node selector terms. The terms are ORed."),

            Map.entry("NodeSelectorTerm.matchExpressions", "A list of node selector requirements by node's labels."),
            Map.entry("NodeSelectorTerm.matchFields", "A list of node selector requirements by node's fields."),

            Map.entry("NodeSelectorRequirement.key", "The label key that the selector applies to."),
            Map.entry("NodeSelectorRequirement.operator", "Represents a key's relationship to a set of values. Valid "
                    + "operators are In, NotIn, Exists, DoesNotExist, Gt, and Lt."),
            Map.entry("NodeSelectorRequirement.values", "An array of string values. If the operator is In or NotIn, the "
                    + "values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be "
                    + "empty. If the operator is Gt or Lt, the values array must have a single element, which will be "
                    + "interpreted as an integer. This array is replaced during a strategic merge patch."),

            Map.entry("PreferredSchedulingTerm.preference", "A node selector term, associated with the corresponding weight."),
            Map.entry("PreferredSchedulingTerm.weight", "Weight associated with matching the corresponding "
                    + "nodeSelectorTerm, in the range 1-100."),

            Map.entry("PodAffinity.requiredDuringSchedulingIgnoredDuringExecution", REQUIRED_POD.formatted("affinity", "affinity")),
            Map.entry("PodAffinity.preferredDuringSchedulingIgnoredDuringExecution", PREFERRED.formatted("affinity",
                    "affinity", "adding \"weight\" to the sum", "has pods which match the corresponding podAffinityTerm")),
            Map.entry("PodAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution", REQUIRED_POD.formatted("anti-affinity",
                    "anti-affinity")),
            Map.entry("PodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution", PREFERRED.formatted("anti-affinity",
                    "anti-affinity", "subtracting \"weight\" from the sum", "has pods which match the corresponding podAffinityTerm")),

            Map.entry("PodAffinityTerm.labelSelector", "A label query over a set of resources, in this case pods. If it's "
                    + "null, this PodAffinityTerm matches with no Pods."),
            Map.entry("PodAffinityTerm.namespaces", "A static list of namespace names that the term applies to. The term "
                    + "is applied to the union of the namespaces listed in this field and the ones selected by "
                    + "namespaceSelector. A null or empty namespaces list and a null namespaceSelector means \"this pod's "
                    + "namespace\"."),
            Map.entry("PodAffinityTerm.namespaceSelector", "A label query over the set of namespaces that the term applies "
                    + "to. The term is applied to the union of the namespaces selected by this field and the ones listed in "
                    + "the namespaces field. A null selector and a null or empty namespaces list means \"this pod's "
                    + "namespace\". An empty selector ({}) matches all namespaces."),
            Map.entry("PodAffinityTerm.topologyKey", "This pod should be co-located (affinity) or not co-located "
                    + "(anti-affinity) with the pods matching the labelSelector in the specified namespaces, where "
                    + "co-located is defined as running on a node whose value of the label with key topologyKey matches "
                    + "that of any node on which any of the selected pods is running. Empty topologyKey is not allowed."),
            Map.entry("PodAffinityTerm.matchLabelKeys", LABEL_KEYS.formatted("MatchLabelKeys", "in", "matchLabelKeys",
                    "matchLabelKeys")),
            Map.entry("PodAffinityTerm.mismatchLabelKeys", LABEL_KEYS.formatted("MismatchLabelKeys", "notin",
                    "mismatchLabelKeys", "mismatchLabelKeys")),

            Map.entry("WeightedPodAffinityTerm.podAffinityTerm", "Required. A pod affinity term, associated with the "
                    + "corresponding weight."),
            Map.entry("WeightedPodAffinityTerm.weight", "Weight associated with matching the corresponding "
                    + "podAffinityTerm, in the range 1-100."),

            Map.entry("LabelSelector.matchExpressions", "A list of label selector requirements. The requirements are ANDed."),
            Map.entry("LabelSelector.matchLabels", "A map of {key,value} pairs. A single {key,value} in the matchLabels "
                    + "map is equivalent to an element of matchExpressions, whose key field is \"key\", the operator is "
                    + "\"In\", and the values array contains only \"value\". The requirements are ANDed."),

            Map.entry("LabelSelectorRequirement.key", "The label key that the selector applies to."),
            Map.entry("LabelSelectorRequirement.operator", "Represents a key's relationship to a set of values. Valid "
                    + "operators are In, NotIn, Exists and DoesNotExist."),
            Map.entry("LabelSelectorRequirement.values", "An array of string values. If the operator is In or NotIn, the "
                    + "values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be "
                    + "empty. This array is replaced during a strategic merge patch."),

            Map.entry("Toleration.key", "The taint key that the toleration applies to. Empty means match all taint keys. "
                    + "If the key is empty, operator must be Exists; this combination means to match all values and all keys."),
            Map.entry("Toleration.operator", "Represents a key's relationship to the value. Valid operators are Exists and "
                    + "Equal. Defaults to Equal. Exists is equivalent to wildcard for value, so that a pod can tolerate all "
                    + "taints of a particular category."),
            Map.entry("Toleration.value", "The taint value the toleration matches to. If the operator is Exists, the value "
                    + "should be empty, otherwise just a regular string."),
            Map.entry("Toleration.effect", "The taint effect to match. Empty means match all taint effects. When "
                    + "specified, allowed values are NoSchedule, PreferNoSchedule and NoExecute."),
            Map.entry("Toleration.tolerationSeconds", "The period of time the toleration (which must be of effect "
                    + "NoExecute, otherwise this field is ignored) tolerates the taint. By default, it is not set, which "
                    + "means tolerate the taint forever (do not evict). Zero and negative values will be treated as 0 "
                    + "(evict immediately) by the system."),

            Map.entry("TopologySpreadConstraint.maxSkew", "The degree to which pods may be unevenly distributed. When "
                    + "whenUnsatisfiable=DoNotSchedule, it is the maximum permitted difference between the number of "
                    + "matching pods in the target topology and the global minimum (the minimum number of matching pods in "
                    + "an eligible domain, or zero if the number of eligible domains is less than minDomains). When "
                    + "whenUnsatisfiable=ScheduleAnyway, it is used to give higher precedence to topologies that satisfy "
                    + "it. It's a required field. Default value is 1 and 0 is not allowed."),
            Map.entry("TopologySpreadConstraint.topologyKey", "The key of node labels. Nodes that have a label with this "
                    + "key and identical values are considered to be in the same topology domain, and the scheduler tries to "
                    + "put a balanced number of pods into each domain (e.g. kubernetes.io/hostname: each node is a domain; "
                    + "topology.kubernetes.io/zone: each zone is a domain). An eligible domain is one whose nodes meet the "
                    + "requirements of nodeAffinityPolicy and nodeTaintsPolicy. It's a required field."),
            Map.entry("TopologySpreadConstraint.whenUnsatisfiable", "How to deal with a pod if it doesn't satisfy the "
                    + "spread constraint. DoNotSchedule (default) tells the scheduler not to schedule it. ScheduleAnyway "
                    + "tells the scheduler to schedule the pod in any location, but giving higher precedence to topologies "
                    + "that would help reduce the skew. A constraint is considered \"Unsatisfiable\" for an incoming pod if "
                    + "and only if every possible node assignment for that pod would violate \"MaxSkew\" on some topology. "
                    + "It's a required field."),
            Map.entry("TopologySpreadConstraint.labelSelector", "Used to find matching pods. Pods that match this label "
                    + "selector are counted to determine the number of pods in their corresponding topology domain."),
            Map.entry("TopologySpreadConstraint.minDomains", "A minimum number of eligible domains. When the number of "
                    + "eligible domains with matching topology keys is less than minDomains, Pod Topology Spread treats "
                    + "\"global minimum\" as 0, and then the calculation of skew is performed; when it is equal or greater, "
                    + "this value has no effect on scheduling. If value is nil, the constraint behaves as if minDomains is "
                    + "equal to 1. Valid values are integers greater than 0. When value is not nil, whenUnsatisfiable must "
                    + "be DoNotSchedule."),
            Map.entry("TopologySpreadConstraint.nodeAffinityPolicy", "How the pod's nodeAffinity/nodeSelector is treated "
                    + "when calculating pod topology spread skew. Honor: only nodes matching nodeAffinity/nodeSelector are "
                    + "included in the calculations. Ignore: nodeAffinity/nodeSelector are ignored; all nodes are included. "
                    + "If this value is nil, the behavior is equivalent to the Honor policy."),
            Map.entry("TopologySpreadConstraint.nodeTaintsPolicy", "How node taints are treated when calculating pod "
                    + "topology spread skew. Honor: nodes without taints, along with tainted nodes for which the incoming "
                    + "pod has a toleration, are included. Ignore: node taints are ignored; all nodes are included. If this "
                    + "value is nil, the behavior is equivalent to the Ignore policy."),
            Map.entry("TopologySpreadConstraint.matchLabelKeys", "A set of pod label keys to select the pods over which "
                    + "spreading will be calculated. The keys are used to look up values from the incoming pod labels; "
                    + "those key-value labels are ANDed with labelSelector to select the group of existing pods over which "
                    + "spreading will be calculated for the incoming pod. The same key is forbidden to exist in both "
                    + "matchLabelKeys and labelSelector, and matchLabelKeys cannot be set when labelSelector isn't set. "
                    + "Keys that don't exist in the incoming pod labels are ignored. A null or empty list means only match "
                    + "against labelSelector."),

            Map.entry("ResourceRequirements.limits", "The maximum amount of compute resources allowed. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
            Map.entry("ResourceRequirements.requests", "The minimum amount of compute resources required. If requests is "
                    + "omitted for a container, it defaults to limits if that is explicitly specified, otherwise to an "
                    + "implementation-defined value. Requests cannot exceed limits. More info: "
                    + "https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/"),
            Map.entry("ResourceRequirements.claims", "The names of resources, defined in spec.resourceClaims of the pod, "
                    + "that are used by this container (dynamic resource allocation). This field is immutable. It can only "
                    + "be set for containers."),

            Map.entry("ResourceClaim.name", "Must match the name of one entry in pod.spec.resourceClaims of the Pod where "
                    + "this field is used. It makes that resource available inside a container."),
            Map.entry("ResourceClaim.request", "The name chosen for a request in the referenced claim. If empty, "
                    + "everything from the claim is made available, otherwise only the result of this request."),

            Map.entry("LocalObjectReference.name", "Name of the referent (an object in the same namespace). This field is "
                    + "effectively required, but due to backwards compatibility is allowed to be empty. More info: "
                    + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names"));
}
