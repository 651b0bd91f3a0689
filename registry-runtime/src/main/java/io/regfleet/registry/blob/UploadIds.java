package io.regfleet.registry.blob;

import java.util.regex.Pattern;

/** Upload ids become file names and object keys: only a safe alphabet is accepted, so no path can be smuggled in. */
public final class UploadIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private UploadIds() {
    }

    /** Returns the id when it is 1 to 128 characters of {@code [A-Za-z0-9_-]}; throws IllegalArgumentException otherwise. */
    public static String requireValid(String uploadId) {
        if (uploadId == null || !SAFE.matcher(uploadId).matches()) {
            throw new IllegalArgumentException("invalid upload id (allowed: 1 to 128 of [A-Za-z0-9_-]): " + uploadId);
        }
        return uploadId;
    }
}
