package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.RepositoryName;

/**
 * Which tags may neither move to another manifest nor go (immutable tag patterns). The store applies it inside the
 * unit of work that would move or delete a tag, so a concurrent push cannot slip between the check and the write.
 */
@FunctionalInterface
public interface ImmutableTags {
    ImmutableTags NONE = (repository, tag) -> false;

    boolean test(RepositoryName repository, String tag);
}
