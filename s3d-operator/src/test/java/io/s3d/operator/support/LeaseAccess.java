package io.s3d.operator.support;

import java.util.function.Consumer;

import io.fabric8.kubernetes.api.model.authorization.v1.ResourceRuleBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.quarkus.test.kubernetes.client.KubernetesServer;

/**
 * Mock API server setup for every operator @QuarkusTest ({@code @WithKubernetesTestServer(crud = true,
 * setup = LeaseAccess.class)}): leader election (on in tests too) first asks the API server whether
 * it may use Leases (SelfSubjectRulesReview), which the CRUD mock cannot answer. The answer given is
 * deploy/rbac.yaml's leader-election Role, so a Role that lost a verb fails the start-up here too.
 */
public class LeaseAccess implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
        var rule = RbacCoverage.leaderElectionRole().getRules().get(0);
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(201, new SelfSubjectRulesReviewBuilder()
                        .withNewMetadata().endMetadata()
                        .withNewSpec().withNamespace("test").endSpec()
                        .withNewStatus().withIncomplete(false)
                        .withResourceRules(new ResourceRuleBuilder().withApiGroups(rule.getApiGroups())
                                .withResources(rule.getResources()).withVerbs(rule.getVerbs()).build())
                        .endStatus().build())
                .always();
    }
}
