package io.regfleet.registry.tools.importer;

import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.service.BlobService;
import io.regfleet.registry.service.ManifestService;
import io.regfleet.registry.service.UploadService;
import io.regfleet.registry.tools.verify.IntegrityChecks;

/**
 * This registry, as an import writes and proves it: through the same services as a push (every digest, reference and
 * size checked as for any client) and the same checks as verify.
 */
record Target(MetadataStore metadata, ManifestService manifests, UploadService uploads, BlobService blobs,
              IntegrityChecks checks) {
}
