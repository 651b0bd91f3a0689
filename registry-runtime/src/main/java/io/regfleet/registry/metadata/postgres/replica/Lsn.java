package io.regfleet.registry.metadata.postgres.replica;

/**
 * A position in PostgreSQL's write-ahead log ({@code pg_lsn}), written {@code X/Y}: two hexadecimal halves of a
 * 64-bit number. Positions only grow on one server and its standbys, so comparing them says which has replayed what.
 */
public record Lsn(long value) implements Comparable<Lsn> {
    /** Before every position: what a standby that has replayed nothing yet is at. */
    public static final Lsn ZERO = new Lsn(0);

    /** Parses {@code X/Y} as PostgreSQL prints it. */
    public static Lsn parse(String text) {
        if (text == null || !text.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
            throw new IllegalArgumentException("not a WAL position (X/Y, hexadecimal): " + text);
        }
        int slash = text.indexOf('/');
        return new Lsn(Long.parseLong(text, 0, slash, 16) << 32 | Long.parseLong(text, slash + 1, text.length(), 16));
    }

    /** Whether this position is at or past {@code other}. */
    public boolean reached(Lsn other) {
        return compareTo(other) >= 0;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
