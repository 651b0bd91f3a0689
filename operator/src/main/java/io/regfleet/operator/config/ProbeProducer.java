package io.regfleet.operator.config;

import io.regfleet.control.probe.DatabaseLimitsProbe;
import io.regfleet.control.probe.JdbcDatabaseLimitsProbe;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The budget probe with the operator's connect timeout. */
@ApplicationScoped
public class ProbeProducer {
    @Produces
    @ApplicationScoped
    DatabaseLimitsProbe databaseLimitsProbe(OperatorConfig config) {
        return new JdbcDatabaseLimitsProbe(config.databaseProbeTimeout());
    }
}
