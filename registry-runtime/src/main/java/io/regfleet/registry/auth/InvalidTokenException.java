package io.regfleet.registry.auth;

/** A token that does not verify (garbled, tampered, expired, for another audience, signed by an unknown key). */
public final class InvalidTokenException extends Exception {
    InvalidTokenException(String message, Throwable cause) {
        super(message, cause);
    }

    InvalidTokenException(String message) {
        super(message);
    }
}
