package io.regfleet.registry.metadata;

/** The collector's two review queues. */
public enum ReviewQueue {
    BLOB, MANIFEST
}
