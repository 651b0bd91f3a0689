package io.regfleet.registry.governance;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * The pod's database connection pool (prefix {@code regfleet.pool}), the one place of its defaults:
 * application.properties hands the sizes and timeouts to Agroal as {@code ${regfleet.pool.*}} expressions (which
 * these defaults answer), the governed driver reads its throttle and session settings here, and the pod agent
 * changes the maximum live.
 */
@ConfigMapping(prefix = "regfleet.pool")
public interface PoolConfig {

    /** The starting pool maximum: the operator passes the budget's guaranteed floor. Env: REGFLEET_POOL_MAX_SIZE. */
    @WithDefault("8")
    int maxSize();

    /**
     * The largest pool maximum the pod agent applies: an allocation asking for more is clamped to it. The operator
     * passes the most its budget gives one pod; absent, the database's own max_connections. Env: REGFLEET_POOL_CEILING.
     */
    OptionalInt ceiling();

    /**
     * The maximum each read replica's pool starts with in this pod (the operator passes the floor of that replica's
     * budget; its rebalancer then moves it live, per replica); absent: {@link #maxSize()}.
     * Env: REGFLEET_POOL_REPLICA_MAX_SIZE.
     */
    OptionalInt replicaMaxSize();

    /**
     * The largest maximum the pod agent applies to a read replica's pool: an allocation asking for more is clamped to
     * it. The operator passes the most a replica's budget gives one pod; absent, the replica's own max_connections.
     * Env: REGFLEET_POOL_REPLICA_CEILING.
     */
    OptionalInt replicaCeiling();

    /** Longest wait for a connection before the request answers 503. Env: REGFLEET_POOL_ACQUIRE_TIMEOUT. */
    @WithDefault("1S")
    Duration acquireTimeout();

    /** An idle connection is closed after this; with no database work at all, every idle one is. Env: REGFLEET_POOL_IDLE_TIMEOUT. */
    @WithDefault("60S")
    Duration idleTimeout();

    /** A connection is replaced after this long. Env: REGFLEET_POOL_MAX_LIFETIME. */
    @WithDefault("30M")
    Duration maxLifetime();

    /** New connections per second this pod may open (0: no limit, the Quay-style setting). Env: REGFLEET_POOL_CONNECT_RATE. */
    @WithDefault("5")
    double connectRate();

    /** How many connections may open at once before the rate applies. Env: REGFLEET_POOL_CONNECT_BURST. */
    @WithDefault("2")
    int connectBurst();

    /** Longest a new connection waits for its slot (rate or backoff) before the attempt is refused. Env: REGFLEET_POOL_CONNECT_WAIT. */
    @WithDefault("5S")
    Duration connectWait();

    /** First wait after a failed connection attempt; it doubles per failure, with jitter. Env: REGFLEET_POOL_BACKOFF_INITIAL. */
    @WithDefault("200MS")
    Duration backoffInitial();

    /** Longest wait between connection attempts while the database is down. Env: REGFLEET_POOL_BACKOFF_MAX. */
    @WithDefault("10S")
    Duration backoffMax();

    /** PostgreSQL statement_timeout for every session. Env: REGFLEET_POOL_STATEMENT_TIMEOUT. */
    @WithDefault("30S")
    Duration statementTimeout();

    /** PostgreSQL idle_in_transaction_session_timeout for every session. Env: REGFLEET_POOL_IDLE_IN_TRANSACTION_TIMEOUT. */
    @WithDefault("60S")
    Duration idleInTransactionTimeout();

    /**
     * PostgreSQL idle_session_timeout for every session (PostgreSQL 14+; older servers are not sent it): the server
     * ends a session idle this long, so a pod that stopped (SIGSTOP, a partition) does not keep its connections for
     * ever. Longer than {@link #idleTimeout()} twice over (the pool's reaper may look only that late), so a healthy
     * pod always closes its idle connections first; 0 turns it off. Env: REGFLEET_POOL_IDLE_SESSION_TIMEOUT.
     */
    @WithDefault("5M")
    Duration idleSessionTimeout();
}
