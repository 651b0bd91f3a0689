package io.regfleet.registry.tools.importer;

/** The source registry did not answer as the distribution API says (a status, a broken body, no connection). */
final class SourceException extends RuntimeException {
    private final int status;

    SourceException(String message, int status) {
        super(message, null, false, false);
        this.status = status;
    }

    SourceException(String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = 0;
    }

    /** The HTTP status, or 0 when there was no answer. */
    int status() {
        return status;
    }
}
