package io.regfleet.registry.metadata;

import java.util.List;

/** Nothing was written: the unit would have moved or deleted these immutable tags. */
public final class ImmutableTagException extends RuntimeException {
    private final List<String> tags;

    public ImmutableTagException(List<String> tags) {
        super("immutable tags: " + tags, null, false, false);
        this.tags = List.copyOf(tags);
    }

    public List<String> tags() {
        return tags;
    }
}
