package io.regfleet.registry.blob;

import io.regfleet.registry.oci.Digest;

import java.net.URI;
import java.util.Optional;

/**
 * Where a client may fetch a stored blob's bytes itself rather than through the registry: the S3 driver's presigned
 * GET, when {@code regfleet.storage.s3.redirect} is on, so that pods need not proxy layer bytes at scale.
 */
public interface BlobRedirects {
    /** Every blob is served by the registry. */
    BlobRedirects NONE = digest -> Optional.empty();

    /** A URL that serves the blob's bytes (and byte ranges of them) for a while; empty to serve them ourselves. */
    Optional<URI> location(Digest digest);
}
