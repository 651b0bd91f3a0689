package io.regfleet.control.budget;

import java.sql.SQLException;

/** Reads the limits of a live database; production: {@link JdbcDatabaseLimitsProbe}. */
public interface DatabaseLimitsProbe {
    DatabaseLimits probe(DatabaseConnectionInfo database) throws SQLException;
}
