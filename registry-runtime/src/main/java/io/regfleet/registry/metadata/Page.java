package io.regfleet.registry.metadata;

import java.util.List;

/** One page of a listing (tags, catalog) in byte order, and whether more entries follow it. */
public record Page(List<String> entries, boolean more) {
    public static final Page EMPTY = new Page(List.of(), false);

    public Page {
        entries = List.copyOf(entries);
    }

    /**
     * A page of at most {@code limit} entries from up to {@code limit + 1} fetched: an extra one means more follow.
     * A page of none never says more: a client that asked for no entries gets no link to the next page.
     */
    public static Page of(List<String> fetched, int limit) {
        if (limit == 0) {
            return EMPTY;
        }
        return fetched.size() > limit ? new Page(fetched.subList(0, limit), true) : new Page(fetched, false);
    }

    /** Where the next page starts ({@code last}), or null for an empty page. */
    public String lastEntry() {
        return entries.isEmpty() ? null : entries.getLast();
    }
}
