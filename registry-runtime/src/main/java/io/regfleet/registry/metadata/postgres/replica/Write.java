package io.regfleet.registry.metadata.postgres.replica;

import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.oci.RepositoryName;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A committed write as read routing needs it: where it ends in the primary's WAL, and which repositories' reads it
 * may change ({@code everywhere}: any repository's, e.g. a blob quarantined or collected for all of them).
 */
public record Write(Lsn lsn, Set<RepositoryName> repositories, boolean everywhere) {
    public Write {
        repositories = Set.copyOf(repositories);
    }

    /** The write that made these changes and ended at {@code lsn}. */
    public static Write of(Lsn lsn, Collection<MetadataChange> changes) {
        Set<RepositoryName> repositories = new LinkedHashSet<>();
        boolean everywhere = false;
        for (MetadataChange change : changes) {
            switch (change) {
                case MetadataChange.Tag t -> repositories.add(t.repository());
                case MetadataChange.Manifest m -> repositories.add(m.repository());
                case MetadataChange.BlobLink l -> repositories.add(l.repository());
                case MetadataChange.Blob b -> everywhere = true;
                case MetadataChange.Everything e -> everywhere = true;
            }
        }
        return new Write(lsn, everywhere ? Set.of() : repositories, everywhere);
    }
}
