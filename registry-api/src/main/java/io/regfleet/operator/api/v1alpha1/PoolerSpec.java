package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * PgBouncer in transaction mode between the registry pods and the database: the connection budget then governs
 * PgBouncer's server connections, and the pods' pools share its client limit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PoolerSpec {
    /** CloudNativePG's PgBouncer image: maintained, Debian-based, non-root; any image with /usr/bin/pgbouncer will do. */
    public static final String DEFAULT_IMAGE = "ghcr.io/cloudnative-pg/pgbouncer:1.24.0";

    @JsonPropertyDescription("PgBouncer's container image; it must have /usr/bin/pgbouncer. maxPreparedStatements needs PgBouncer 1.21 or later.")
    @Default(DEFAULT_IMAGE)
    public String image = DEFAULT_IMAGE;

    @JsonPropertyDescription("PgBouncer pods. Each holds up to its share of the budget in server connections (max_db_connections); one more is counted for the pod a rollout replaces.")
    @Min(1) @Default("2") public Integer replicas = 2;

    @JsonPropertyDescription("Most server connections one PgBouncer pod may be given (max_db_connections); the budget may give less.")
    @Min(1) @Default("100") public Integer maxServerConnections = 100;

    @JsonPropertyDescription("PgBouncer's client limit (max_client_conn): what the registry pods' pools share by demand, so they may be larger than the server side.")
    @Min(1) @Default("500") public Integer clientConnections = 500;

    @JsonPropertyDescription("PgBouncer's max_prepared_statements (PgBouncer 1.21+): the registry pods keep server-side prepared statements. 0: the pods prepare none (pgjdbc prepareThreshold=0), which any PgBouncer version supports.")
    @Min(0) @Max(10000) @Default("0") public Integer maxPreparedStatements = 0;

    @JsonPropertyDescription("CPU and memory requests and limits of each PgBouncer container.")
    public ResourceRequirements resources;
}
