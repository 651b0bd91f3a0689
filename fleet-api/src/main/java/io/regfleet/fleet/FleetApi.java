package io.regfleet.fleet;

/**
 * Paths of the pod agent on the management port. {@link #USAGE} and {@link #ALLOCATION} speak of the primary's pool;
 * with the query parameter {@link #REPLICA} ({@code ?replica=<host:port>}, as {@link #REPLICAS} names the replica) they
 * speak of that read replica's pool instead: its own generation and maximum, independent of the primary's, with the
 * pod's workers and pod-wide figures reported as they are and an allocation's {@code workers} ignored. A replica the
 * pod does not have is 404, a value that is not one {@code host:port} 400.
 */
public final class FleetApi {
    public static final String USAGE = "/fleet/usage";
    public static final String ALLOCATION = "/fleet/allocation";
    /** The query parameter scoping {@link #USAGE} and {@link #ALLOCATION} to one read replica's pool. */
    public static final String REPLICA = "replica";
    /** The garbage collector's totals and backlog ({@link CollectorReport}). */
    public static final String COLLECTOR = "/fleet/collector";
    /** Each read replica as this pod sees it ({@link ReplicaReport}, a JSON array). */
    public static final String REPLICAS = "/fleet/replicas";

    private FleetApi() {
    }
}
