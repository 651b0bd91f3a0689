package io.regfleet.registry.manifest;

import io.regfleet.registry.oci.Digest;

import java.util.List;
import java.util.Map;

/**
 * What a pushed manifest says that the registry must check and index.
 *
 * @param mediaType    the manifest's media type (from Content-Type, confirmed by its {@code mediaType} field)
 * @param blobs        blobs it references that must exist in the repository (config and layers)
 * @param manifests    child manifests it references that must exist in the repository (an index's entries)
 * @param subject      the manifest it refers to (OCI 1.1 referrers), or null
 * @param artifactType its artifact type for the referrers API (artifactType, else the config's media type), or null
 * @param annotationsJson its annotations as a JSON object text, or null
 * @param declaredSizes   the size each referenced blob's descriptor declares (a pull of a blob whose descriptor
 *                        disagrees with it fails on every client, so the push is refused)
 */
public record ParsedManifest(String mediaType, List<Digest> blobs, List<Digest> manifests, Digest subject,
                             String artifactType, String annotationsJson, Map<Digest, Long> declaredSizes) {
    public ParsedManifest {
        declaredSizes = Map.copyOf(declaredSizes);
    }

    /** A manifest whose blob sizes are not checked (tests of the stores, which do not parse). */
    public ParsedManifest(String mediaType, List<Digest> blobs, List<Digest> manifests, Digest subject,
                          String artifactType, String annotationsJson) {
        this(mediaType, blobs, manifests, subject, artifactType, annotationsJson, Map.of());
    }
}
