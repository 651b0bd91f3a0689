package io.regfleet.registry.metadata.postgres.replica;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.regfleet.registry.config.RegistryConfig;
import io.regfleet.registry.governance.AgentConfig;
import io.regfleet.registry.governance.PoolConfig;
import io.regfleet.registry.governance.ReplicaGovernance;
import io.regfleet.registry.governance.WorkerLimit;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod's {@link ReadReplicas}, from {@code regfleet.db.read-replicas}: only a registry that serves uses them (a Job
 * only notices its writes' positions to the pods that do), and
 * not behind a transaction pooler, where the notice listener cannot LISTEN: without it a pod cannot know the other
 * pods' writes, so every read would go to the primary anyway.
 */
@Singleton
class ReplicaBeans {
    private static final Logger LOG = Logger.getLogger(ReplicaBeans.class);
    private static final String JDBC_PROPERTIES = "quarkus.datasource.jdbc.additional-jdbc-properties.";
    /** A replica read waits this long at most for a connection of the replica's pool before it asks the primary. */
    private static final Duration REPLICA_ACQUIRE_WAIT = Duration.ofMillis(250);
    /** Seconds a new connection to a replica may take: one that does not answer is not waited for as long as the primary. */
    private static final String CONNECT_TIMEOUT_SECONDS = "2";

    @Produces
    @Singleton
    ReadReplicas readReplicas(RegistryConfig registry, PoolConfig pool, AgentConfig agent, WorkerLimit workers, Config config)
            throws SQLException {
        String listed = registry.db().readReplicas().orElse("").strip();
        if (!"serve".equals(registry.mode())) {
            return ReadReplicas.NOTICES_ONLY; // a Job: the Registry's pods may read replicas it is not told of
        }
        if (listed.isEmpty()) {
            return ReadReplicas.NONE;
        }
        if (registry.db().transactionPooled()) {
            LOG.warn("regfleet.db.read-replicas ignored: behind a transaction pooler the notice listener cannot LISTEN,"
                    + " so other pods' writes would go unheard; every read goes to the primary");
            return ReadReplicas.NONE;
        }
        Map<String, String> jdbcProperties = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(JDBC_PROPERTIES)) {
                config.getOptionalValue(name, String.class)
                        .ifPresent(value -> jdbcProperties.put(name.substring(JDBC_PROPERTIES.length()), value));
            }
        }
        // a replica that stops answering (a frozen host) must not hold a read, nor the monitor, for ever: the socket
        // gives up a little after the statement timeout would have ended the query on a live server
        jdbcProperties.putIfAbsent("connectTimeout", CONNECT_TIMEOUT_SECONDS);
        jdbcProperties.putIfAbsent("socketTimeout", Long.toString(pool.statementTimeout().plusSeconds(5).toSeconds()));
        ReplicaPool pools = new ReplicaPool(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""), jdbcProperties,
                pool.replicaMaxSize().orElse(pool.maxSize()),
                pool.acquireTimeout().compareTo(REPLICA_ACQUIRE_WAIT) < 0 ? pool.acquireTimeout() : REPLICA_ACQUIRE_WAIT,
                pool.idleTimeout(), pool.maxLifetime(),
                new ReplicaGovernance(pool.replicaCeiling(), agent.window(), workers::allocated));
        List<ReadReplica> replicas = new ArrayList<>();
        for (ReplicaAddress address : ReplicaAddress.parseList(listed, pools.primaryPort())) {
            replicas.add(pools.open(address));
        }
        return new ReadReplicas(replicas, registry.db().replicaMaxLag());
    }

    void start(@Observes StartupEvent event, ReadReplicas replicas, MeterRegistry meters) {
        replicas.register(meters);
        replicas.start();
    }

    void stop(@Observes ShutdownEvent event, ReadReplicas replicas) {
        replicas.stop();
    }
}
