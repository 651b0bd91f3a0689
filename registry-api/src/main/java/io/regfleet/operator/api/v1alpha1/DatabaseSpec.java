package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.pooler) || !has(self.readReplicas) || size(self.readReplicas) == 0",
        message = "readReplicas cannot be combined with pooler yet")
public class DatabaseSpec {
    public static final String DEFAULT_REPLICA_MAX_LAG = "2s";
    public static final int MAX_READ_REPLICAS = 16;

    @JsonPropertyDescription("Secret in this namespace with keys host, port, database, user and password. Changes to it re-reconcile the Registry.")
    @Required
    public String secretName;

    @JsonPropertyDescription("TLS mode of the database connections (libpq sslmode).")
    @Default("require")
    public SslMode sslMode = SslMode.REQUIRE;

    @JsonPropertyDescription("Secret in this namespace whose key ca.crt holds the PEM certificate(s) of the CA that signed the database's certificate: the operator's probe and the pods verify the database with it (sslMode verify-ca or verify-full). Absent: verification uses the runtime's default root certificate file (~/.postgresql/root.crt), which the image does not have.")
    public String caSecret;

    @JsonPropertyDescription("Overrides the server's max_connections, e.g. with Aurora's LEAST(DBInstanceClassMemory/9531392, 5000).")
    @Min(1)
    public Integer maxConnections;

    @JsonPropertyDescription("Connections kept free for other users of the database (admin tools, other applications' growth).")
    @Min(0)
    @Default("0")
    public Integer reservedConnections = 0;

    @JsonPropertyDescription("This Registry's part of a database server it shares with other Registries.")
    @Default("{}")
    public ShareSpec share = new ShareSpec();

    @JsonPropertyDescription("PostgreSQL idle_session_timeout of every pod's session, in seconds (PostgreSQL 14+): the server ends the sessions of a pod that stopped (SIGSTOP, a partition) after this. 0 turns it off; otherwise more than twice the pods' pool idle timeout (120).")
    @ValidationRule(value = "self == 0 || self > 120", message = "idleSessionTimeoutSeconds must be 0 or more than 120")
    @Min(0)
    @Default("300")
    public Integer idleSessionTimeoutSeconds = 300;

    @JsonPropertyDescription("PostgreSQL idle_in_transaction_session_timeout of every pod's session, in seconds: the server ends a session that holds a transaction open and does nothing for this long (a pod stopped mid-transaction keeps no locks). 0 turns it off.")
    @Min(0)
    @Default("60")
    public Integer idleInTransactionTimeoutSeconds = 60;

    @JsonPropertyDescription("PgBouncer in transaction mode in front of the database, owned by the operator (a Deployment and a Service named <registry>-pooler): the budget governs its server connections, the pods connect to it. Absent: the pods connect to the database directly.")
    public PoolerSpec pooler;

    @JsonPropertyDescription("Read replicas of the database: PostgreSQL hot standbys (streaming replication), one instance each, not a load-balanced reader endpoint (Aurora readers are not supported: they do not report a replay position). Same database, credentials and TLS as the primary. Each replica's limits are probed and budgeted on their own; every serving pod gets one pool per replica within that budget, and lag-tolerant reads go to them. Changing the list rolls the pods.")
    @ValidationRule(value = "self.all(a, self.exists_one(b, a.host == b.host && (has(a.port) ? a.port : 0) == (has(b.port) ? b.port : 0)))",
            message = "readReplicas names a host and port twice")
    @Size(max = MAX_READ_REPLICAS) // bounds the CEL rule's cost
    public List<ReadReplicaSpec> readReplicas;

    @JsonPropertyDescription("Replication lag beyond which a pod stops reading from a replica until it catches up (a number and one unit: ms, s, m, h, d).")
    @Pattern("^" + GarbageCollectionSpec.DURATION + "$")
    @ValidationRule(value = "!self.matches('^0+(ms|s|m|h|d)$')", message = "replicaMaxLag must be more than 0")
    @Size(max = 16)
    @Default(DEFAULT_REPLICA_MAX_LAG)
    public String replicaMaxLag = DEFAULT_REPLICA_MAX_LAG;

    /** The replicas the spec names; none when the field is absent. */
    public List<ReadReplicaSpec> readReplicasOrNone() {
        return readReplicas == null ? List.of() : readReplicas;
    }

    /** The lag beyond which a replica is quarantined; its default when the field is absent. */
    public String replicaMaxLagOrDefault() {
        return replicaMaxLag == null ? DEFAULT_REPLICA_MAX_LAG : replicaMaxLag;
    }

    /** The share settings; their defaults when the field is absent. */
    public ShareSpec shareOrDefault() {
        return share == null ? new ShareSpec() : share;
    }
}
