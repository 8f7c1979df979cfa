package io.s3d.operator.runtime;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;

/**
 * Several operator replicas, one reconciling: the replicas race for the Lease {@value #LEASE} in
 * the operator's namespace and only the holder starts the controllers. The sidecar webhook is a
 * plain HTTPS endpoint, so every replica serves it, leader or not; that is what lets a second
 * replica (and the PodDisruptionBudget) keep pod creation working while one is down.
 * Active in prod (QOSDK's default) and in tests, which thereby cover the Lease RBAC.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    public static final String LEASE = "s3d-operator-leader";

    /**
     * @param exitOnStopLeading a replica that lost the Lease exits (JOSDK's default: its controllers
     *        must not keep running beside the new leader's); off in tests, where Quarkus stops the
     *        application between test classes and an exit would end the test JVM
     */
    public LeaderElection(@ConfigProperty(name = "s3d.operator.leader-election.exit-on-stop-leading",
            defaultValue = "true") boolean exitOnStopLeading) {
        super(LEASE, null, LEASE_DURATION_DEFAULT_VALUE, RENEW_DEADLINE_DEFAULT_VALUE, RETRY_PERIOD_DEFAULT_VALUE, null, null,
                exitOnStopLeading);
    }
}
