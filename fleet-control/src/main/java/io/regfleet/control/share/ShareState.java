package io.regfleet.control.share;

/** Where a Registry stands on its server. */
public enum ShareState {
    /** Its guaranteed share holds every pod it asks for at the per-pod minimum. */
    FITS,
    /** Its guaranteed share holds fewer pods than it asks for: its replicas are capped. */
    CAPPED,
    /** It has been given a share that other Registries must release first: its pods wait. */
    PENDING,
    /** Not even its minimum (or one pod at the per-pod minimum) fits what the other Registries hold. */
    NO_ROOM,
    /** It left; its pods' connections stay counted until they have drained. */
    LEAVING
}
