package io.regfleet.registry.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A single {@code Range: bytes=} request on a blob, resolved against its size. */
public record ByteRange(long start, long end) {
    private static final Pattern FORMAT = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    public long length() {
        return end - start + 1;
    }

    /**
     * Null when there is no usable single range (absent, or a multi-range we answer with the whole blob);
     * throws {@link Unsatisfiable} when the range lies outside the blob.
     */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        Matcher m = FORMAT.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null; // RFC 9110: an unparseable Range is ignored
        }
        long start;
        long end;
        if (m.group(1).isEmpty()) { // suffix: the last N bytes
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0) {
                throw new Unsatisfiable();
            }
            start = Math.max(0, size - suffix);
            end = size - 1;
        } else {
            start = Long.parseLong(m.group(1));
            end = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (m.group(2).isEmpty() == false && Long.parseLong(m.group(2)) < start) {
                return null; // invalid range spec: ignored
            }
        }
        if (start >= size) {
            throw new Unsatisfiable();
        }
        return new ByteRange(start, end);
    }

    /** The range starts at or beyond the end of the blob: 416. */
    public static final class Unsatisfiable extends RuntimeException {
        public Unsatisfiable() {
            super("range not satisfiable", null, false, false);
        }
    }
}
