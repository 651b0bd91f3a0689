package io.regfleet.registry.oci;

import java.util.Map;

/** A failure the client is told about with an OCI error body; {@code status} may refine the code's default. */
public class RegistryException extends RuntimeException {
    private final ErrorCode code;
    private final int status;
    private final Map<String, Object> detail;

    public RegistryException(ErrorCode code, String message) {
        this(code, code.status(), message, Map.of());
    }

    public RegistryException(ErrorCode code, String message, Map<String, Object> detail) {
        this(code, code.status(), message, detail);
    }

    /**
     * A client error (4xx) keeps no stack trace: it is an answer, never logged with one, and a push of new blobs gets a
     * 404 for each of them (the HEAD before the upload). A 5xx keeps it.
     */
    public RegistryException(ErrorCode code, int status, String message, Map<String, Object> detail) {
        this(code, status, message, detail, null);
    }

    protected RegistryException(ErrorCode code, int status, String message, Map<String, Object> detail, Throwable cause) {
        super(message == null ? code.defaultMessage() : message, cause, true, status >= 500);
        this.code = code;
        this.status = status;
        this.detail = detail == null ? Map.of() : detail;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    public Map<String, Object> detail() {
        return detail;
    }

    public static RegistryException nameUnknown(RepositoryName name) {
        return new RegistryException(ErrorCode.NAME_UNKNOWN, "repository name not known to registry",
                Map.of("name", name.value()));
    }

    public static RegistryException manifestUnknown(String reference) {
        return new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest unknown", Map.of("reference", reference));
    }

    public static RegistryException blobUnknown(Digest digest) {
        return new RegistryException(ErrorCode.BLOB_UNKNOWN, "blob unknown to registry",
                Map.of("digest", digest.toString()));
    }

    public static RegistryException uploadUnknown(String uploadId) {
        return new RegistryException(ErrorCode.BLOB_UPLOAD_UNKNOWN, "blob upload unknown",
                Map.of("session", uploadId));
    }
}
