package io.regfleet.registry.blob;

/**
 * How far an upload has come: its size and the driver's own bookkeeping (opaque to everyone but the driver,
 * persisted in PostgreSQL with the upload session).
 */
public record UploadState(long size, String driverState) {
    public UploadState {
        if (size < 0) {
            throw new IllegalArgumentException("negative upload size");
        }
        driverState = driverState == null ? "" : driverState;
    }

    public static UploadState empty(String driverState) {
        return new UploadState(0, driverState);
    }
}
