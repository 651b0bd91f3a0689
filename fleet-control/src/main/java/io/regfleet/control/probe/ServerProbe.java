package io.regfleet.control.probe;

import io.regfleet.control.share.ServerSnapshot;

import java.sql.SQLException;

/** Reads which server a database lives on, its limits and who holds its connections; production: {@link JdbcDatabaseLimitsProbe}. */
public interface ServerProbe {
    ServerSnapshot server(DatabaseConnectionInfo database) throws SQLException;

    /** A read replica of a fleet's database, under an identity of its own (see {@link ReplicaSnapshot}). */
    ReplicaSnapshot replica(DatabaseConnectionInfo replica) throws SQLException;
}
