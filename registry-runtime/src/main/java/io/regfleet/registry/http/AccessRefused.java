package io.regfleet.registry.http;

import io.regfleet.registry.oci.ErrorCode;
import io.regfleet.registry.oci.RegistryException;

import java.util.Map;

/** 401 UNAUTHORIZED with the {@code WWW-Authenticate} challenge that tells the client where to get a token. */
final class AccessRefused extends RegistryException {
    private final String challenge;

    AccessRefused(String challenge, String message, Map<String, Object> detail) {
        super(ErrorCode.UNAUTHORIZED, 401, message, detail);
        this.challenge = challenge;
    }

    String challenge() {
        return challenge;
    }
}
