package io.regfleet.registry.oci;

/** The OCI distribution error codes, each with the HTTP status we answer it with. */
public enum ErrorCode {
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    MANIFEST_INVALID(400, "manifest invalid"),
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    NAME_INVALID(400, "invalid repository name"),
    NAME_UNKNOWN(404, "repository name not known to registry"),
    SIZE_INVALID(400, "provided length did not match content length"),
    UNAUTHORIZED(401, "authentication required"),
    DENIED(403, "requested access to the resource is denied"),
    UNSUPPORTED(405, "the operation is unsupported"),
    TOOMANYREQUESTS(429, "too many requests"),
    /** distribution's code for an invalid {@code n} on a paginated list. */
    PAGINATION_NUMBER_INVALID(400, "invalid number of results requested"),
    /** Not an OCI code: the HTTP request itself is malformed (its line, headers or query string). */
    REQUEST_INVALID(400, "malformed request"),
    /** Not an OCI code: the registry is shedding load or its database is out of reach; the client should retry. */
    UNAVAILABLE(503, "service temporarily unavailable"),
    /** Not an OCI code: stored content no longer matches its digest; it is refused rather than served. */
    INTEGRITY(500, "stored content failed its integrity check");

    private final int status;
    private final String defaultMessage;

    ErrorCode(int status, String defaultMessage) {
        this.status = status;
        this.defaultMessage = defaultMessage;
    }

    public int status() {
        return status;
    }

    public String defaultMessage() {
        return defaultMessage;
    }
}
