package io.regfleet.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

/** The registry's own settings (prefix {@code regfleet}); storage and governance have mappings of their own. */
@ConfigMapping(prefix = "regfleet")
public interface RegistryConfig {

    /** Serve pulls only: every write answers 405 UNSUPPORTED. Env: REGFLEET_READ_ONLY. */
    @WithDefault("false")
    boolean readOnly();

    /** The Registry this pod belongs to (application_name in pg_stat_activity). Env: REGFLEET_REGISTRY_NAME. */
    @WithDefault("local")
    String registryName();

    /** This pod's name (application_name, lease owner). Env: REGFLEET_POD_NAME; default: the host name. */
    @WithDefault("${HOSTNAME:localhost}")
    String podName();

    /**
     * {@code serve} (the registry), {@code migrate} (apply schema migrations and exit), {@code verify} (check the whole
     * store and exit) or {@code import} (copy another registry in with proof and exit). Env: REGFLEET_MODE.
     */
    @WithDefault("serve")
    String mode();

    Db db();

    Schema schema();

    Log log();

    Manifest manifest();

    Blob blob();

    Upload upload();

    Listing listing();

    /** The parts of the JDBC URL (application.properties builds quarkus.datasource.jdbc.url from them). */
    interface Db {
        /** Env: REGFLEET_DB_HOST. */
        @WithDefault("127.0.0.1")
        String host();

        /** Env: REGFLEET_DB_PORT. */
        @WithDefault("5432")
        int port();

        /** Env: REGFLEET_DB_NAME. */
        @WithDefault("regfleet")
        String name();

        /** disable, allow, prefer, require, verify-ca, verify-full. Env: REGFLEET_DB_SSLMODE. */
        @WithDefault("prefer")
        String sslmode();

        /**
         * The CA certificate file(s) that verify the database's certificate (sslmode verify-ca, verify-full); the
         * operator mounts the Registry's spec.database.caSecret. Default: the driver's own, ~/.postgresql/root.crt.
         * Env: REGFLEET_DB_SSLROOTCERT.
         */
        @WithDefault("${user.home:}/.postgresql/root.crt")
        String sslrootcert();

        /**
         * The host and port are a transaction pooler's (PgBouncer, pool_mode=transaction): each transaction may run on
         * another server session, so nothing session-scoped is sent (no server-side prepared statements, no startup
         * options, no SET: the pooler's connect_query gives its server sessions the timeouts). Never for a migration
         * (Flyway holds a session-level advisory lock): it connects to the database itself.
         * Env: REGFLEET_DB_TRANSACTION_POOLED.
         */
        @WithDefault("false")
        boolean transactionPooled();

        /**
         * Read replicas, comma-separated {@code host[:port]} (port: the primary's): the same database, credentials and
         * TLS settings as the primary. Reads that tolerate lag go to them (README, "Read replicas"); absent: every
         * read goes to the primary. Env: REGFLEET_DB_READ_REPLICAS.
         */
        Optional<String> readReplicas();

        /**
         * A replica whose oldest unreplayed write known to this pod has waited longer than this is quarantined
         * (Lagging) until it has caught up. Env: REGFLEET_DB_REPLICA_MAX_LAG.
         */
        @WithDefault("2S")
        Duration replicaMaxLag();
    }

    interface Schema {
        /** Run the Flyway migrations at start-up. Env: REGFLEET_SCHEMA_MIGRATE_AT_START. */
        @WithDefault("true")
        boolean migrateAtStart();
    }

    interface Log {
        /** JSON log lines. Env: REGFLEET_LOG_JSON. */
        @WithDefault("false")
        boolean json();

        /**
         * How often the console is flushed: its lines go out in blocks, not one write per line (logging a cached
         * manifest GET cost more than answering it). A crash loses at most this much of the console; 0 writes every
         * line at once. Env: REGFLEET_LOG_FLUSH_INTERVAL.
         */
        @WithDefault("0.1S")
        Duration flushInterval();
    }

    interface Manifest {
        /** The largest manifest accepted, in bytes (the spec asks for at least 4 MiB). Env: REGFLEET_MANIFEST_MAX_SIZE. */
        @WithDefault("4194304")
        int maxSize();
    }

    interface Blob {
        /**
         * Hash every whole-blob read while it streams and end the response abnormally when the bytes do not match the
         * digest (the blob is then quarantined). Off: filesystem blobs go out zero-copy, unverified. Range reads are
         * never verified. Env: REGFLEET_BLOB_VERIFY_READS.
         */
        @WithDefault("true")
        boolean verifyReads();
    }

    interface Upload {
        /** An upload session untouched this long is purged with its bytes. Env: REGFLEET_UPLOAD_EXPIRY. */
        @WithDefault("24H")
        Duration expiry();

        /**
         * A session's write lease: renewed every third of it while its writer is at work, so the lease of a writer
         * that died (kill -9, a lost node) lapses this long after its last renewal. Env: REGFLEET_UPLOAD_LEASE.
         */
        @WithName("lease")
        @WithDefault("15S")
        Duration leaseDuration();

        /** How often abandoned sessions are looked for. Env: REGFLEET_UPLOAD_PURGE_INTERVAL. */
        @WithDefault("10M")
        Duration purgeInterval();
    }

    interface Listing {
        /** The most entries one tags/list or _catalog page returns (larger n is clamped). Env: REGFLEET_LISTING_MAX_PAGE_SIZE. */
        @WithDefault("1000")
        int maxPageSize();
    }
}
