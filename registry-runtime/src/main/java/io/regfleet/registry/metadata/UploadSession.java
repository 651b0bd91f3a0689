package io.regfleet.registry.metadata;

import io.regfleet.registry.blob.UploadState;

/** An upload session as the store records it: its repository and how far its bytes have come. */
public record UploadSession(String id, String repository, UploadState state) {
}
