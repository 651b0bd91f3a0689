package io.regfleet.registry.metadata;

/** A manifest whose subject is another manifest: one entry of the referrers index. */
public record Referrer(String digest, String mediaType, long size, String artifactType, String annotationsJson) {
}
