package io.regfleet.operator.replica;

import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.regfleet.control.share.ReplicaShares;
import io.regfleet.control.share.ReplicaShares.Holder;
import io.regfleet.control.share.ReplicaShares.ReplicaClaim;
import io.regfleet.control.share.ReplicaShares.ReplicaShare;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.operator.api.v1alpha1.ReadReplicaStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The read replicas every Registry of this operator names, shared by the replica's identity ({@link ReplicaShares}).
 * Not only in memory: each Registry records what it is counted at in status.readReplicas, and a restarted operator
 * first counts every Registry at what it recorded, until that Registry plans again.
 */
@ApplicationScoped
public class ReplicaLedger {
    private final ReplicaShares shares = new ReplicaShares();
    private IndexedResourceCache<Registry> registries;

    /**
     * Before any claim (once): every Registry of the controller's cache counted at what its status recorded on each
     * replica; from then on, Registries the cache no longer has are forgotten at each claim.
     */
    public synchronized void start(IndexedResourceCache<Registry> cache) {
        if (registries == null) {
            registries = cache;
            cache.list().forEach(this::recorded);
        }
    }

    private void recorded(Registry r) {
        List<ReadReplicaStatus> recorded = r.recordedReadReplicas();
        recorded.stream().filter(s -> s.identity != null && s.counted != null && s.counted > 0).forEach(s -> shares.recorded(
                s.identity, new Holder(FleetNames.key(r), r.getMetadata().getName(), s.replica, s.counted)));
    }

    /** The Registry's part of the replica it probed as {@code seen}; serialized with every other claim on any replica. */
    public ReplicaShare claim(String identity, ServerSnapshot seen, ReplicaClaim claim) {
        if (registries != null) {
            shares.forgetAllBut(registries.list().map(FleetNames::key).collect(Collectors.toSet()));
        }
        return shares.claim(identity, seen, claim);
    }

    /** The Registry keeps its parts on the replicas it claimed or kept this time and those its pods still have pools on. */
    public void retainOnly(Registry registry, Collection<String> kept, Set<String> inUse) {
        shares.retainOnly(FleetNames.key(registry), kept, inUse);
    }

    /** Every Registry on the replica as counted (tests, diagnostics). */
    public List<Holder> holders(String identity) {
        return shares.holders(identity);
    }
}
