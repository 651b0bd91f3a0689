package io.regfleet.registry.metadata;

import io.regfleet.registry.blob.UploadState;

/** An upload session as PostgreSQL records it. */
public record UploadSession(String id, long repositoryId, String repository, UploadState state) {
}
