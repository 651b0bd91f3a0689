package io.regfleet.registry.manifest;

import io.regfleet.registry.oci.Digest;

import java.util.List;

/**
 * What a pushed manifest says that the registry must check and index.
 *
 * @param mediaType    the manifest's media type (from Content-Type, confirmed by its {@code mediaType} field)
 * @param blobs        blobs it references that must exist in the repository (config and layers)
 * @param manifests    child manifests it references that must exist in the repository (an index's entries)
 * @param subject      the manifest it refers to (OCI 1.1 referrers), or null
 * @param artifactType its artifact type for the referrers API (artifactType, else the config's media type), or null
 * @param annotationsJson its annotations as a JSON object text, or null
 */
public record ParsedManifest(String mediaType, List<Digest> blobs, List<Digest> manifests, Digest subject,
                             String artifactType, String annotationsJson) {
}
