package io.regfleet.registry.service;

import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;

import java.util.Map;

/** A chunk that does not continue the upload where it stands: 416, and the session survives at {@code size}. */
public class UploadRangeException extends RegistryException {
    private final String uploadId;
    private final long size;

    public UploadRangeException(String uploadId, long size, String message) {
        super(ErrorCode.BLOB_UPLOAD_INVALID, 416, message, Map.of("session", uploadId, "size", size));
        this.uploadId = uploadId;
        this.size = size;
    }

    public String uploadId() {
        return uploadId;
    }

    public long size() {
        return size;
    }
}
