package io.s3d.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.s3d.operator.api.v1alpha1.S3dGatewaySpec;
import io.s3d.operator.support.Fixtures;

/** spec.filters and writeQueue.filter checked with s3d's own parser: the FiltersValid condition's facts. */
class FilterRulesTest {

    static GatewayModel model(S3dGatewaySpec s, Map<String, Map<String, String>> configMaps) {
        return GatewayModel.from(Fixtures.gateway("ns", "gw", s), null, "img", SecretInputs.NONE,
                name -> Optional.ofNullable(configMaps.get(name)));
    }

    @Test
    void noRulesNoCondition() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        assertFalse(model(s, Map.of()).filterRules().applies());
        s.filters = new S3dGatewaySpec.FilterSpec();
        s.filters.opaUrl = "http://opa.policy.svc:8181/v1/data/s3d";
        assertFalse(model(s, Map.of()).filterRules().applies(), "OPA decides at run time: nothing to parse");
    }

    @Test
    void rulesThatParseAreReportedValid() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.writeQueue.filter = "logs, photos/raw/";
        FilterRules rules = model(s, Map.of()).filterRules();
        assertEquals(Boolean.TRUE, rules.valid());
        assertEquals("RulesParsed", rules.reason());
        assertEquals("the filter rules parse: writeQueue.filter, filters.inline", rules.message());
        assertTrue(model(s, Map.of()).valid());
    }

    @Test
    void aBadInlineRuleHoldsTheGatewayWithTheParsersMessage() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.filters.inline = "queue: logs\ncache:\n  - photos/*[hdr:content-length>lots]\n";
        GatewayModel m = model(s, Map.of());
        FilterRules rules = m.filterRules();
        assertEquals(Boolean.FALSE, rules.valid());
        assertEquals("InvalidFilterRule", rules.reason());
        assertTrue(rules.message().startsWith("filters.inline, line 3: filter 'photos/*[hdr:content-length>lots]', column "),
                rules.message());
        assertTrue(rules.message().contains("expected "), rules.message());
        assertTrue(rules.blocksRollout());
        assertFalse(m.valid());
        assertEquals("InvalidFilterRule", m.invalidReason());
    }

    @Test
    void aBadWriteQueueRuleHoldsTheGatewayToo() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.writeQueue.filter = "logs, [tag:team";
        FilterRules rules = model(s, Map.of()).filterRules();
        assertTrue(rules.message().startsWith("writeQueue.filter (S3D_WRITE_QUEUE_FILTER): filter '[tag:team', column "),
                rules.message());
        assertTrue(rules.blocksRollout());
    }

    @Test
    void aBadRuleInTheReferencedConfigMapIsReportedButDoesNotHoldTheGateway() {
        S3dGatewaySpec s = Fixtures.fullSpec();
        s.filters.inline = null;
        s.filters.configMapRef = new S3dGatewaySpec.ConfigMapKeyRef();
        s.filters.configMapRef.name = "policies";
        GatewayModel m = model(s, Map.of("policies", Map.of("filter-policy", "queue: logs\nbogus: x\n")));
        FilterRules rules = m.filterRules();
        assertEquals(Boolean.FALSE, rules.valid());
        assertEquals("InvalidFilterRule", rules.reason());
        assertTrue(rules.message().startsWith("ConfigMap policies key filter-policy, line 2: expected a section named"), rules.message());
        assertFalse(rules.blocksRollout(), "the ConfigMap reaches the pods without the operator: holding the rollout would not help");
        assertTrue(m.valid());

        assertEquals(Boolean.TRUE, model(s, Map.of("policies", Map.of("filter-policy", "queue: logs\n"))).filterRules().valid());
    }

    @Test
    void aMissingPolicyIsNamed() {
        S3dGatewaySpec s = new S3dGatewaySpec();
        s.filters = new S3dGatewaySpec.FilterSpec();
        s.filters.configMapRef = new S3dGatewaySpec.ConfigMapKeyRef();
        s.filters.configMapRef.name = "policies";
        s.filters.configMapRef.key = "rules";
        assertEquals("ConfigMap policies not found (filters.configMapRef): the s3d pods cannot mount the filter policy",
                model(s, Map.of()).filterRules().message());
        FilterRules noKey = model(s, Map.of("policies", Map.of("other", "queue: x"))).filterRules();
        assertEquals("FilterPolicyNotFound", noKey.reason());
        assertEquals("ConfigMap policies key rules not found (filters.configMapRef): the s3d pods cannot mount the filter policy",
                noKey.message());
        assertNull(GatewayModel.from(Fixtures.gateway("ns", "gw", s)).filterRules().valid(),
                "without the cluster (webhook, SyncFolder checks) a referenced ConfigMap is not judged");
    }
}
