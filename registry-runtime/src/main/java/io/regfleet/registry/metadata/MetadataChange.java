package io.regfleet.registry.metadata;

import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

/**
 * What a committed write changed of the answers a reader may remember: a store announces them after every unit of
 * work that made one ({@link MetadataChangeListener}), so a cache in front of it forgets exactly those answers.
 */
public sealed interface MetadataChange {

    /** The tag was created, moved or deleted: what it resolves to in the repository. */
    record Tag(RepositoryName repository, String tag) implements MetadataChange {
    }

    /** The manifest was stored in the repository or deleted from it. */
    record Manifest(RepositoryName repository, Digest digest) implements MetadataChange {
    }

    /** The blob was linked to the repository or unlinked from it. */
    record BlobLink(RepositoryName repository, Digest digest) implements MetadataChange {
    }

    /** The blob changed for every repository: quarantined, restored by a verified upload, or collected. */
    record Blob(Digest digest) implements MetadataChange {
    }

    /** Anything may have changed (a notice that could not be read): every remembered answer is stale. */
    record Everything() implements MetadataChange {
    }
}
