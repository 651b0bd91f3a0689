package io.regfleet.registry.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code Content-Range} of an upload chunk: inclusive byte offsets {@code start-end} (an optional "bytes " prefix is accepted). */
public record ContentRange(long start, long end) {
    private static final Pattern FORMAT = Pattern.compile("(?:bytes[ =])?(\\d{1,18})-(\\d{1,18})(?:/(?:\\d{1,18}|\\*))?");

    public long length() {
        return end - start + 1;
    }

    /** Null when the header is absent; throws {@link IllegalArgumentException} when it is malformed. */
    public static ContentRange parse(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = FORMAT.matcher(header.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("malformed Content-Range: " + header);
        }
        long start = Long.parseLong(m.group(1));
        long end = Long.parseLong(m.group(2));
        if (end < start) {
            throw new IllegalArgumentException("Content-Range end before start: " + header);
        }
        return new ContentRange(start, end);
    }
}
