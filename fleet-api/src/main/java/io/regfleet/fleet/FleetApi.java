package io.regfleet.fleet;

/** Paths of the pod agent on the management port. */
public final class FleetApi {
    public static final String USAGE = "/fleet/usage";
    public static final String ALLOCATION = "/fleet/allocation";

    private FleetApi() {
    }
}
