package io.regfleet.operator.budget;

import java.sql.SQLException;

/** Reads the limits of a live database; production: {@link JdbcDatabaseLimitsProbe}. */
public interface DatabaseLimitsProbe {
    DatabaseLimits probe(DatabaseConnectionInfo database) throws SQLException;
}
