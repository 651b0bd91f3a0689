package io.regfleet.fleet;

/** Paths of the pod agent on the management port. */
public final class FleetApi {
    public static final String USAGE = "/fleet/usage";
    public static final String ALLOCATION = "/fleet/allocation";
    /** The garbage collector's totals and backlog ({@link CollectorReport}). */
    public static final String COLLECTOR = "/fleet/collector";
    /** Each read replica as this pod sees it ({@link ReplicaReport}, a JSON array). */
    public static final String REPLICAS = "/fleet/replicas";

    private FleetApi() {
    }
}
