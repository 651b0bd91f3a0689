package io.regfleet.registry.metadata;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One of {@link #COUNT} slices of the digest key space, {@code [from, to)} in byte order, a null bound being open: the
 * first two hex digits of a sha256 digest pick its slice (digests are uniform, so the slices are even), and any other
 * algorithm falls in the last. Work over a whole store (verify) is shared and recorded range by range.
 */
public record DigestRange(int index, String from, String to) {
    public static final int COUNT = 256;
    private static final String PREFIX = "sha256:";

    /** The range of this index, 0 to {@code COUNT - 1}. */
    public static DigestRange of(int index) {
        if (index < 0 || index >= COUNT) {
            throw new IllegalArgumentException("range index out of 0.." + (COUNT - 1) + ": " + index);
        }
        return new DigestRange(index, index == 0 ? null : bound(index), index == COUNT - 1 ? null : bound(index + 1));
    }

    public static List<DigestRange> all() {
        return IntStream.range(0, COUNT).mapToObj(DigestRange::of).toList();
    }

    /** Whether the key (a digest's text, or a key that starts with it) falls in this range. */
    public boolean contains(String key) {
        return (from == null || key.compareTo(from) >= 0) && (to == null || key.compareTo(to) < 0);
    }

    private static String bound(int index) {
        return PREFIX + HexFormat.of().toHexDigits((byte) index);
    }
}
