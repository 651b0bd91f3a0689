package io.regfleet.operator.config;

import io.regfleet.control.probe.JdbcDatabaseLimitsProbe;
import io.regfleet.control.share.ShareCoordinator;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The budget probe with the operator's connect timeout (one object: a DatabaseLimitsProbe and a ServerProbe), and the
 * one coordinator of every database server's shares among the Registries this operator runs.
 */
@ApplicationScoped
public class ProbeProducer {
    @Produces
    @Singleton
    JdbcDatabaseLimitsProbe databaseLimitsProbe(OperatorConfig config) {
        return new JdbcDatabaseLimitsProbe(config.databaseProbeTimeout());
    }

    @Produces
    @Singleton
    ShareCoordinator shareCoordinator() {
        return ShareCoordinator.withDefaults();
    }
}
