package io.regfleet.registry.metadata.memory;

import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.metadata.Inventory;
import io.regfleet.registry.metadata.MetadataStore;
import io.regfleet.registry.metadata.UploadSessions;
import io.regfleet.registry.metadata.VerifyLedger;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;

import java.time.Clock;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The registry's metadata in this process's memory: what {@link #store()} and {@link #uploadSessions()} share. Every
 * unit of work runs alone under one lock, so each is atomic and isolated as a transaction is. Names and tags sort
 * in {@link String} order, which is byte order for them: their grammars allow ASCII only.
 */
public final class MemoryMetadata {
    private final InstantSource clock;
    private final TreeMap<String, Repository> repositories = new TreeMap<>();
    private final Map<Digest, Long> blobSizes = new HashMap<>();
    private final Set<Digest> quarantined = new HashSet<>();
    private final Map<String, Session> sessions = new HashMap<>();
    private final MemoryVerifyLedger.Runs verifyRuns = new MemoryVerifyLedger.Runs();
    private long nextSequence;

    /** Metadata on the system clock. */
    public MemoryMetadata() {
        this(Clock.systemUTC());
    }

    /** @param clock times upload leases and the age of sessions */
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

    /** Runs one unit of work alone. */
    synchronized <T> T unit(Function<MemoryMetadata, T> work) {
        return work.apply(this);
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

    /** One repository: its manifests, its tags (in byte order) and the blobs it may serve. */
    static final class Repository {
        final Map<Digest, Manifest> manifests = new HashMap<>();
        final TreeMap<String, Digest> tags = new TreeMap<>();
        final Set<Digest> blobs = new HashSet<>();
    }

    /** A stored manifest; {@code sequence} orders referrers oldest first. */
    record Manifest(Digest digest, ParsedManifest parsed, byte[] content, long sequence) {
    }

    /** An upload session with its lease. */
    static final class Session {
        final String id;
        final String repository;
        UploadState state;
        String leaseOwner;
        Instant leaseUntil;
        Instant updatedAt;
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
