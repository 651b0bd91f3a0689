package io.regfleet.control.probe;

import io.regfleet.control.budget.DatabaseLimits;

import java.sql.SQLException;

/** Reads the limits of a live database; production: {@link JdbcDatabaseLimitsProbe}. */
public interface DatabaseLimitsProbe {
    DatabaseLimits probe(DatabaseConnectionInfo database) throws SQLException;
}
