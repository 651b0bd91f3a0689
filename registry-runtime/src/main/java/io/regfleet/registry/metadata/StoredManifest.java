package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;

/** A manifest as read from the store: not yet trusted until its content is checked against its digest. */
public record StoredManifest(Digest digest, String mediaType, byte[] content) {
}
