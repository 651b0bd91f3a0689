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

    /** On the management port: liveness never looks at the database, readiness does. */
    public static final String LIVENESS_PATH = "/q/health/live", READINESS_PATH = "/q/health/ready";
    /** Prometheus scrapes here, on the management port. */
    public static final String METRICS_PATH = "/q/metrics";

    /** {@link PodSetting#MODE}: apply the schema migrations and exit. */
    public static final String MODE_MIGRATE = "migrate";
    /** {@link PodSetting#STORAGE_DRIVER}: blobs in S3, or on a filesystem. */
    public static final String STORAGE_S3 = "s3", STORAGE_FILESYSTEM = "filesystem";

    private PodContract() {
    }
}
