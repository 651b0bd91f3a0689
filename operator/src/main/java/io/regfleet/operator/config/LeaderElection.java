package io.regfleet.operator.config;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.arc.Unremovable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Leader election for an HA operator (several replicas, one active): a Lease in the operator's namespace.
 * quarkus-operator-sdk activates it in the prod profile only, so `make run-operator` runs without it.
 */
@Singleton
@Unremovable // looked up programmatically by quarkus-operator-sdk
public class LeaderElection extends LeaderElectionConfiguration {
    public static final String LEASE_NAME = "regfleet-operator-lease";

    @Inject
    public LeaderElection(OperatorConfig config) {
        super(LEASE_NAME, null, LEASE_DURATION_DEFAULT_VALUE, RENEW_DEADLINE_DEFAULT_VALUE, RETRY_PERIOD_DEFAULT_VALUE,
                null, null, config.exitOnLostLeadership());
    }
}
