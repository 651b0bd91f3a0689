package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;

import java.util.Map;

/**
 * The store cannot answer right now (work shed, no connection in time, database down). It is already the answer
 * the client gets: 503 UNAVAILABLE with Retry-After, to retry, never a 500 and never a wait without bound.
 */
public final class MetadataUnavailableException extends RegistryException {
    public MetadataUnavailableException(String message, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, ErrorCode.UNAVAILABLE.status(), message, Map.of(), cause);
    }
}
