package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;

import java.time.Instant;

/** A tag as retention sees it: the manifest it points at and when it was last pushed. */
public record TagRecord(String name, Digest manifest, Instant pushedAt) {
}
