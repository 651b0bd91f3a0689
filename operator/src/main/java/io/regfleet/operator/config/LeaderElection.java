package io.regfleet.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Singleton;

/**
 * Leader election for an HA operator (several replicas, one active): a Lease in the operator's namespace.
 * quarkus-operator-sdk activates it in the prod profile only, so `make run-operator` (dev) runs without it.
 */
@Singleton
public class LeaderElection extends LeaderElectionConfiguration {
    public static final String LEASE_NAME = "regfleet-operator-lease";

    public LeaderElection() {
        super(LEASE_NAME);
    }
}
