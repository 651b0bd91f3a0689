package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.Inventory;
import io.regfleet.registry.metadata.GarbageCollection;
import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.metadata.MetadataChangeListener;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.metadata.VerifyLedger;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import io.regfleet.registry.blob.UploadState;

import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The registry's metadata in this process's memory: what {@link #store()}, {@link #uploadSessions()} and
 * {@link #garbageCollection()} share. Every unit of work runs alone under one lock, so each is atomic and isolated as
 * a transaction is (and no push can overlap a review). Names and tags sort in {@link String} order, which is byte
 * order for them: their grammars allow ASCII only. What a unit changed is told to the listeners once it is over.
 */
public final class MemoryMetadata {
    private final InstantSource clock;
    private final TreeMap<String, Repository> repositories = new TreeMap<>();
    private final Map<Digest, Long> blobSizes = new HashMap<>();
    private final Set<Digest> quarantined = new HashSet<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final MemoryVerifyLedger.Runs verifyRuns = new MemoryVerifyLedger.Runs();
    private final MemoryQueues queues = new MemoryQueues();
    /** Blob bytes being deleted, and since when. */
    private final Map<Digest, Instant> deletions = new HashMap<>();
    private final List<MetadataChangeListener> listeners = new CopyOnWriteArrayList<>();
    /** What the unit of work running now changed. */
    private final List<MetadataChange> changes = new ArrayList<>();
    private long nextSequence;

    /** Metadata on the system clock. */
    public MemoryMetadata() {
        this(Clock.systemUTC());
    }

    /** @param clock times upload leases, the age of sessions, tags and review candidates */
    public MemoryMetadata(InstantSource clock) {
        this.clock = clock;
    }

    public MetadataStore store() {
        return new MemoryMetadataStore(this);
    }

    public UploadSessions uploadSessions() {
        return new MemoryUploadSessions(this);
    }

    public Inventory inventory() {
        return new MemoryInventory(this);
    }

    public VerifyLedger verifyLedger() {
        return new MemoryVerifyLedger(this);
    }

    public GarbageCollection garbageCollection() {
        return new MemoryGarbageCollection(this);
    }

    /** From now on, the listener hears what every unit of work changes, once the unit is over. */
    public void subscribe(MetadataChangeListener listener) {
        listeners.add(listener);
    }

    /**
     * Runs one unit of work alone, then tells the listeners what it changed (outside the lock: a listener may wait
     * for a reader that is waiting for the lock). A unit that throws changed nothing: every one checks before it writes.
     */
    <T> T unit(Function<MemoryMetadata, T> work) {
        T result;
        List<MetadataChange> changed;
        synchronized (this) {
            try {
                result = work.apply(this);
                changed = List.copyOf(changes);
            } finally {
                changes.clear();
            }
        }
        if (!changed.isEmpty()) {
            listeners.forEach(listener -> listener.changed(changed));
        }
        return result;
    }

    /** The unit of work running now changed this. */
    void changed(MetadataChange change) {
        changes.add(change);
    }

    Instant now() {
        return clock.instant();
    }

    TreeMap<String, Repository> repositories() {
        return repositories;
    }

    Repository repository(RepositoryName name) {
        return repositories.get(name.value());
    }

    Repository ensure(RepositoryName name) {
        return repositories.computeIfAbsent(name.value(), n -> new Repository());
    }

    Map<Digest, Long> blobSizes() {
        return blobSizes;
    }

    Set<Digest> quarantined() {
        return quarantined;
    }

    MemoryQueues queues() {
        return queues;
    }

    Map<Digest, Instant> deletions() {
        return deletions;
    }

    /** Whether the repository serves the blob: linked there and not quarantined. */
    boolean serves(Repository repo, Digest digest) {
        return repo != null && repo.blobs.contains(digest) && !quarantined.contains(digest);
    }

    MemoryVerifyLedger.Runs verifyRuns() {
        return verifyRuns;
    }

    Map<String, Session> sessions() {
        return sessions;
    }

    long nextSequence() {
        return nextSequence++;
    }

    // --- review queues and references

    /** Queues those of the blobs that are recorded. */
    void queueBlobs(Collection<Digest> digests) {
        digests.stream().distinct().filter(blobSizes::containsKey).forEach(d -> queues.blob(d, now()));
    }

    /** Queues those of the repository's manifests that exist. */
    void queueManifests(String name, Collection<Digest> digests) {
        Repository repo = repositories.get(name);
        digests.stream().distinct().filter(d -> d != null && repo != null && repo.manifests.containsKey(d))
                .forEach(d -> queues.manifest(new MemoryQueues.ManifestKey(name, d), now()));
    }

    /** Queues a manifest that lost a tag, and its subject, which that tag may have held. */
    void queueWithSubject(String name, Digest manifest) {
        Manifest found = repositories.get(name).manifests.get(manifest);
        queueManifests(name, found == null ? List.of(manifest) : Arrays.asList(manifest, found.parsed().subject()));
    }

    /**
     * Deletes a manifest, queueing first what it held: the blobs it references, its index entries, its referrers and
     * its subject. Its tags and its own review go with it.
     */
    void deleteManifest(String name, Digest digest) {
        Repository repo = repositories.get(name);
        Manifest doomed = repo.manifests.get(digest);
        queueBlobs(doomed.parsed().blobs());
        List<Digest> related = new ArrayList<>(doomed.parsed().manifests());
        repo.manifests.values().stream().filter(m -> digest.equals(m.parsed().subject())).forEach(m -> related.add(m.digest()));
        related.add(doomed.parsed().subject());
        related.remove(digest);
        queueManifests(name, related);
        repo.manifests.remove(digest);
        RepositoryName repository = new RepositoryName(name);
        changed(new MetadataChange.Manifest(repository, digest));
        repo.tags.entrySet().removeIf(tag -> {
            boolean on = tag.getValue().manifest().equals(digest);
            if (on) {
                changed(new MetadataChange.Tag(repository, tag.getKey()));
            }
            return on;
        });
        queues.dropManifest(new MemoryQueues.ManifestKey(name, digest));
    }

    /** Whether any manifest of any repository references the blob. */
    boolean blobReferenced(Digest digest) {
        return repositories.values().stream().flatMap(r -> r.manifests.values().stream())
                .anyMatch(m -> m.parsed().blobs().contains(digest));
    }

    /** Whether a tag, an index, its (present) subject or a tagged referrer of its own holds the manifest. */
    boolean manifestHeld(Repository repo, Manifest manifest) {
        Digest digest = manifest.digest();
        Digest subject = manifest.parsed().subject();
        Set<Digest> tagged = new HashSet<>();
        repo.tags.values().forEach(tag -> tagged.add(tag.manifest()));
        return tagged.contains(digest)
                || subject != null && repo.manifests.containsKey(subject)
                || repo.manifests.values().stream().anyMatch(other -> other.parsed().manifests().contains(digest)
                        || digest.equals(other.parsed().subject()) && tagged.contains(other.digest()));
    }

    /** Whether an upload is writing the digest's bytes right now. */
    boolean beingWritten(Digest digest) {
        return sessions.values().stream().anyMatch(session -> digest.equals(session.committing));
    }

    /** One repository: its manifests, its tags (in byte order) and the blobs it may serve. */
    static final class Repository {
        final Map<Digest, Manifest> manifests = new HashMap<>();
        final TreeMap<String, Tag> tags = new TreeMap<>();
        final Set<Digest> blobs = new HashSet<>();
    }

    /** A stored manifest; {@code sequence} orders referrers oldest first. */
    record Manifest(Digest digest, ParsedManifest parsed, byte[] content, long sequence) {
    }

    /** A tag: the manifest it points at and when it was last pushed. */
    record Tag(Digest manifest, Instant pushedAt) {
    }

    /** An upload session with its lease, and the digest it is committing (null if none). */
    static final class Session {
        final String id;
        final String repository;
        UploadState state;
        String leaseOwner;
        Instant leaseUntil;
        Instant updatedAt;
        Digest committing;
        final long sequence;

        Session(String id, String repository, UploadState state, Instant now, long sequence) {
            this.id = id;
            this.repository = repository;
            this.state = state;
            this.updatedAt = now;
            this.sequence = sequence;
        }

        boolean leasedAt(Instant now) {
            return leaseOwner != null && !leaseUntil.isBefore(now);
        }
    }
}
