package io.regfleet.fleet;

/**
 * What the operator, the local fleet and the registry runtime agree on besides the settings ({@link PodSetting}) and
 * the agent's calls ({@link FleetApi}): the ports, the agent token's place, the paths a kubelet and Prometheus call,
 * and the values of the settings that take one of a few words.
 */
public final class PodContract {
    /** The registry API. */
    public static final int HTTP_PORT = 5000;
    /** Health, metrics and the pod agent. */
    public static final int MANAGEMENT_PORT = 9000;

    /** Where a pod finds the agent token (a mounted Secret) and the key it is under. */
    public static final String AGENT_TOKEN_DIR = "/var/run/regfleet/agent";
    public static final String AGENT_TOKEN_KEY = "token";
    public static final String AGENT_TOKEN_FILE = AGENT_TOKEN_DIR + "/" + AGENT_TOKEN_KEY;

    /** Where a pod finds the CA certificate(s) that verify the database (a mounted Secret's ca.crt), when it is given one. */
    public static final String DB_CA_DIR = "/var/run/regfleet/db-ca";
    public static final String DB_CA_KEY = "ca.crt";
    public static final String DB_CA_FILE = DB_CA_DIR + "/" + DB_CA_KEY;

    /**
     * Where a serving pod finds its access-control files: each a Secret (or ConfigMap) volume, which the kubelet
     * updates in place (never a subPath mount), so a rotated Secret reaches the runtime's reload without a restart.
     */
    public static final String USERS_DIR = "/var/run/regfleet/auth/users", USERS_KEY = "htpasswd";
    public static final String SIGNING_DIR = "/var/run/regfleet/auth/signing";
    public static final String SIGNING_KEY_KEY = "signing-key.pem", VERIFY_KEYS_KEY = "verify-keys.pem";
    public static final String OIDC_DIR = "/var/run/regfleet/auth/oidc", JWKS_KEY = "jwks.json";
    public static final String USERS_FILE = USERS_DIR + "/" + USERS_KEY, JWKS_FILE = OIDC_DIR + "/" + JWKS_KEY,
            SIGNING_KEY_FILE = SIGNING_DIR + "/" + SIGNING_KEY_KEY, VERIFY_KEYS_FILE = SIGNING_DIR + "/" + VERIFY_KEYS_KEY;

    /** The rules files every pod of a Registry mounts (a ConfigMap volume): access rules, retention and immutable tags. */
    public static final String RULES_DIR = "/var/run/regfleet/rules";
    public static final String ACCESS_RULES_KEY = "access-rules.yaml", RETENTION_RULES_KEY = "retention-rules.json";
    public static final String ACCESS_RULES_FILE = RULES_DIR + "/" + ACCESS_RULES_KEY,
            RETENTION_RULES_FILE = RULES_DIR + "/" + RETENTION_RULES_KEY;

    /** The registry API's certificate and key (a kubernetes.io/tls Secret volume), re-read on rotation. */
    public static final String TLS_DIR = "/var/run/regfleet/tls", TLS_CERT_KEY = "tls.crt", TLS_KEY_KEY = "tls.key";
    public static final String TLS_CERT_FILE = TLS_DIR + "/" + TLS_CERT_KEY, TLS_KEY_FILE = TLS_DIR + "/" + TLS_KEY_KEY;

    /** On the management port: liveness never looks at the database, readiness does. */
    public static final String LIVENESS_PATH = "/q/health/live", READINESS_PATH = "/q/health/ready";
    /** Prometheus scrapes here, on the management port. */
    public static final String METRICS_PATH = "/q/metrics";

    /** {@link PodSetting#MODE}: apply the schema migrations and exit. */
    public static final String MODE_MIGRATE = "migrate";
    /** {@link PodSetting#MODE}: verify the whole store, print one {@code {"verify":...}} summary line and exit. */
    public static final String MODE_VERIFY = "verify";
    /** {@link PodSetting#STORAGE_DRIVER}: blobs in S3, or on a filesystem. */
    public static final String STORAGE_S3 = "s3", STORAGE_FILESYSTEM = "filesystem";

    private PodContract() {
    }
}
