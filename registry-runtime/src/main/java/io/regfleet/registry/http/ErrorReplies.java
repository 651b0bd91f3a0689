package io.regfleet.registry.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.regfleet.registry.blob.BlobStoreException;
import io.regfleet.registry.oci.ByteRange;
import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.InvalidDigestException;
import io.regfleet.registry.oci.RegistryException;
import io.regfleet.registry.service.UploadRangeException;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Turns failures into the spec's JSON error body: a 4xx for bad input, 503 to retry, 500 only for our own bugs. */
@Singleton
public class ErrorReplies {
    private static final Logger LOG = Logger.getLogger(ErrorReplies.class);
    /** Seconds a shed or database-less client should wait before it retries. */
    public static final int RETRY_AFTER_SECONDS = 1;
    private final ObjectMapper mapper;

    public ErrorReplies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Reply of(Throwable failure, Endpoint endpoint) {
        Throwable t = unwrap(failure);
        return switch (t) {
            case UploadRangeException e -> UploadEndpoints.progressHeaders(
                    error(e.status(), e.code(), e.getMessage(), e.detail()), repositoryOf(endpoint), e.uploadId(), e.size());
            case AccessRefused e -> error(e.status(), e.code(), e.getMessage(), e.detail())
                    .header("WWW-Authenticate", e.challenge());
            case RegistryException e when e.code() == ErrorCode.UNAVAILABLE -> {
                LOG.debugf("503: %s", e.getMessage()); // may name the database's address: never sent to clients
                yield unavailable();
            }
            case RegistryException e -> error(e.status(), e.code(), e.getMessage(), e.detail());
            case InvalidDigestException e -> error(400, ErrorCode.DIGEST_INVALID, e.getMessage(), Map.of());
            case ByteRange.Unsatisfiable e -> error(416, ErrorCode.BLOB_UNKNOWN, "requested range not satisfiable", Map.of());
            case BlobStoreException e -> {
                LOG.warnf("blob store failure: %s", e.getMessage());
                yield unavailable();
            }
            default -> {
                LOG.errorf(t, "unexpected failure on %s", endpoint.template());
                yield error(500, null, "internal error", Map.of());
            }
        };
    }

    /** 503 with Retry-After; the message is fixed, so no internal address or library text reaches a client. */
    public Reply unavailable() {
        return error(503, ErrorCode.UNAVAILABLE, "service temporarily unavailable; retry shortly", Map.of())
                .header("Retry-After", RETRY_AFTER_SECONDS);
    }

    public Reply error(int status, ErrorCode code, String message, Map<String, Object> detail) {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putArray("errors").addObject();
        error.put("code", code == null ? "UNKNOWN" : code.name());
        error.put("message", message == null ? (code == null ? "error" : code.defaultMessage()) : message);
        if (detail != null && !detail.isEmpty()) {
            error.set("detail", mapper.valueToTree(detail));
        }
        try {
            return Reply.bytes(status, "application/json", mapper.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String repositoryOf(Endpoint endpoint) {
        return endpoint instanceof Endpoint.Upload u ? u.name().value() : "";
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof UncheckedIOException)
                && t.getCause() != null && !(t instanceof RegistryException)) {
            t = t.getCause();
        }
        return t;
    }
}
