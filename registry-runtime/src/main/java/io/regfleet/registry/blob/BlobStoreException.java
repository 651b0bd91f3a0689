package io.regfleet.registry.blob;

/** The store failed (I/O, S3 error): answered as 503 so clients retry, never as corrupt data. */
public class BlobStoreException extends RuntimeException {
    public BlobStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
