package io.regfleet.fleet;

import java.util.Locale;

/**
 * The registry runtime's settings that the operator (as environment variables of a pod) and the local fleet and
 * {@code make run} (as {@code -D} system properties of a JVM) give a registry. Each is one property of the runtime's
 * configuration; registry-runtime's PodContractBindingTest proves that every one, set by its environment name, reaches
 * the runtime's configuration mappings or application.properties.
 */
public enum PodSetting {
    // who the pod is
    REGISTRY_NAME("regfleet.registry-name"),
    POD_NAME("regfleet.pod-name"),
    MODE("regfleet.mode"),
    READ_ONLY("regfleet.read-only"),
    SCHEMA_MIGRATE_AT_START("regfleet.schema.migrate-at-start"),
    // the database: the parts of the JDBC URL, or a whole one, and the credentials
    DB_HOST("regfleet.db.host"),
    DB_PORT("regfleet.db.port"),
    DB_NAME("regfleet.db.name"),
    DB_SSLMODE("regfleet.db.sslmode"),
    DB_SSLROOTCERT("regfleet.db.sslrootcert"),
    DB_TRANSACTION_POOLED("regfleet.db.transaction-pooled"),
    // read replicas: host[:port] list (same database, credentials and TLS as the primary), and the lag beyond which
    // a replica is quarantined (a duration, e.g. 2S)
    DB_READ_REPLICAS("regfleet.db.read-replicas"),
    DB_REPLICA_MAX_LAG("regfleet.db.replica-max-lag"),
    JDBC_URL("quarkus.datasource.jdbc.url"),
    DB_USERNAME("quarkus.datasource.username"),
    DB_PASSWORD("quarkus.datasource.password"),
    // the pod's share of the budget and its agent
    POOL_MAX_SIZE("regfleet.pool.max-size"),
    POOL_CEILING("regfleet.pool.ceiling"),
    // the pool maximum each read replica's pool starts with (the floor of that replica's budget), and the most an
    // allocation may raise it to
    POOL_REPLICA_MAX_SIZE("regfleet.pool.replica-max-size"),
    POOL_REPLICA_CEILING("regfleet.pool.replica-ceiling"),
    // the server ends sessions a stopped pod left behind (PostgreSQL settings of every session)
    POOL_IDLE_SESSION_TIMEOUT("regfleet.pool.idle-session-timeout"),
    POOL_IDLE_IN_TRANSACTION_TIMEOUT("regfleet.pool.idle-in-transaction-timeout"),
    WORKERS_LIMIT("regfleet.workers.limit"),
    WORKERS_CEILING("regfleet.workers.ceiling"),
    AGENT_TOKEN_FILE("regfleet.agent.token-file"),
    AGENT_WINDOW("regfleet.agent.window"),
    // blobs
    STORAGE_DRIVER("regfleet.storage.driver"),
    STORAGE_FILESYSTEM_ROOT("regfleet.storage.filesystem.root"),
    STORAGE_S3_BUCKET("regfleet.storage.s3.bucket"),
    STORAGE_S3_REGION("regfleet.storage.s3.region"),
    STORAGE_S3_ENDPOINT("regfleet.storage.s3.endpoint"),
    STORAGE_S3_PATH_STYLE("regfleet.storage.s3.path-style"),
    STORAGE_S3_PREFIX("regfleet.storage.s3.prefix"),
    STORAGE_S3_ACCESS_KEY_ID("regfleet.storage.s3.access-key-id"),
    STORAGE_S3_SECRET_ACCESS_KEY("regfleet.storage.s3.secret-access-key"),
    // access control (the serving pods only): the files of mounted Secrets and ConfigMaps, re-read when they change
    AUTH_ENABLED("regfleet.auth.enabled"),
    AUTH_REALM("regfleet.auth.realm"),
    AUTH_SIGNING_KEY_FILE("regfleet.auth.signing-key-file"),
    AUTH_VERIFY_KEY_FILE("regfleet.auth.verify-key-file"),
    AUTH_USERS_FILE("regfleet.auth.users-file"),
    AUTH_RULES_FILE("regfleet.auth.rules-file"),
    AUTH_OIDC_ISSUER("regfleet.auth.oidc.issuer"),
    AUTH_OIDC_JWKS_FILE("regfleet.auth.oidc.jwks-file"),
    AUTH_OIDC_AUDIENCE("regfleet.auth.oidc.audience"),
    AUTH_OIDC_USERNAME_CLAIM("regfleet.auth.oidc.username-claim"),
    AUTH_OIDC_GROUPS_CLAIM("regfleet.auth.oidc.groups-claim"),
    // TLS of the registry API (the serving pods only)
    TLS_CERT_FILE("regfleet.tls.cert-file"),
    TLS_KEY_FILE("regfleet.tls.key-file"),
    // the store's upkeep: garbage collection, retention and immutable tags, the verify mode
    GC_REVIEW_DELAY("regfleet.gc.review-delay"),
    GC_UNTAGGED_MANIFESTS("regfleet.gc.untagged-manifests"),
    RETENTION_RULES("regfleet.retention.rules"),
    VERIFY_DEEP("regfleet.verify.deep"),
    // where it listens
    HTTP_HOST("regfleet.http.host"),
    HTTP_PORT("regfleet.http.port"),
    MANAGEMENT_HOST("quarkus.management.host"),
    MANAGEMENT_PORT("quarkus.management.port"),
    // what it writes: one JSON object per log line (and per request), or lines for a person
    LOG_JSON("regfleet.log.json");

    private final String property;

    PodSetting(String property) {
        this.property = property;
    }

    /** The configuration property, e.g. {@code regfleet.read-only} (a {@code -D} system property). */
    public String property() {
        return property;
    }

    /**
     * The environment variable, as SmallRye Config reads it: upper case, every other character an underscore
     * ({@code regfleet.read-only} is {@code REGFLEET_READ_ONLY}).
     */
    public String env() {
        return property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
