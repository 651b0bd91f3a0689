package io.regfleet.operator.share;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.IndexedResourceCache;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.quarkus.runtime.ShutdownEvent;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.control.share.ShareClaim;
import io.regfleet.control.share.ShareCoordinator;
import io.regfleet.control.share.SharedFleet;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.ShareStatus;
import io.regfleet.operator.config.OperatorConfig;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every Registry's handle on the database server it shares with others (fleet-control's {@link ShareCoordinator}):
 * joined at its first reconciliation, updated (or moved to another server) at each, left when the Registry is gone,
 * its pods' connections counted while they drain. No finalizer tells the operator of a deletion: the Registries it
 * holds are checked against the controller's cache every rebalance interval.
 * <p>
 * Not only in memory: each Registry's part is written to its status.share before its pods may hold more, and a
 * restarted operator first counts every Registry at what it recorded, until each joins again and reports.
 */
@ApplicationScoped
public class RegistryShares {
    private static final Logger LOG = Logger.getLogger(RegistryShares.class);

    /** A Registry's handle (a new one after it moved to another server) and the writer of its status.share. */
    private static final class Member {
        final String uid;
        final ShareStatusWriter writer;
        volatile SharedFleet shared;

        Member(String uid, ShareStatusWriter writer, SharedFleet shared) {
            this.uid = uid;
            this.writer = writer;
            this.shared = shared;
        }
    }

    private final ShareCoordinator coordinator;
    private final KubernetesClient client;
    private final Duration drain;
    private final Duration sweepEvery;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    /** Registries known only from their status.share (after a restart), by key, with their uid. */
    private final Map<String, String> recordedOnly = new ConcurrentHashMap<>();
    private IndexedResourceCache<Registry> registries;
    private ScheduledExecutorService sweeper;

    public RegistryShares(ShareCoordinator coordinator, KubernetesClient client, OperatorConfig config) {
        this.coordinator = coordinator;
        this.client = client;
        this.drain = RegistryPlan.podsDrain(config.rebalance());
        this.sweepEvery = config.rebalance().interval();
    }

    /**
     * Once, before any Registry joins: every Registry of the controller's cache that recorded a share is counted at it on
     * its server until it joins again; from then on the cache tells which Registries are gone.
     */
    public synchronized void start(IndexedResourceCache<Registry> cache) {
        if (registries != null) {
            return;
        }
        registries = cache;
        cache.list().forEach(r -> {
            ShareStatus s = r.getStatus() == null ? null : r.getStatus().share;
            if (s != null && s.server != null && s.counted != null) {
                coordinator.recorded(s.server, FleetNames.key(r), r.getMetadata().getName(), ShareStatuses.total(s));
                recordedOnly.put(FleetNames.key(r), r.getMetadata().getUid());
            }
        });
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("share-sweeper").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, sweepEvery.toMillis(), sweepEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Joins the Registry to the server its probe saw (or updates its claim there); its handle from now on. */
    public synchronized SharedFleet join(Registry registry, ServerSnapshot seen, ShareClaim claim) {
        String key = FleetNames.key(registry);
        String uid = registry.getMetadata().getUid();
        Member m = members.get(key);
        if (m != null && !Objects.equals(m.uid, uid)) {
            gone(key, m.uid); // deleted and created again under the same name
            m = null;
        }
        if (m == null) {
            recordedOnly.remove(key);
            ShareStatus persisted = registry.getStatus() == null ? null : registry.getStatus().share;
            m = new Member(uid, new ShareStatusWriter(client, registry, persisted, clock), coordinator.join(seen, claim));
            members.put(key, m);
        } else {
            m.shared = m.shared.update(seen, claim, drain);
        }
        return m.shared;
    }

    /**
     * Writes the Registry's part to its status before anything of its new plan reaches the cluster.
     *
     * @throws KubernetesClientException when it could not be written: the plan must not be applied
     */
    public void recordAhead(Registry registry) {
        member(FleetNames.key(registry)).ifPresent(m -> {
            m.writer.seen(registry.getStatus() == null ? null : registry.getStatus().share);
            record(m, true);
        });
    }

    /**
     * What the Registry's rebalancer shares this round (null: nothing granted, or its record could not be written: the
     * round is skipped, and counted at what it was handed until the next one reports).
     */
    public FleetLimits issue(String key) {
        Member m = members.get(key);
        if (m == null) {
            return null;
        }
        synchronized (m.writer) {
            FleetLimits limits = m.shared.rebalancerLimits().get();
            try {
                record(m, true);
                return limits;
            } catch (KubernetesClientException e) {
                LOG.infof("%s: its share could not be recorded, no round this time: %s", key, e.getMessage());
                return null;
            }
        }
    }

    /** A round of the Registry's rebalancer: what it committed goes to the server's shares, then to its status. */
    public void reported(String key, RebalanceReport report) {
        member(key).ifPresent(m -> {
            m.shared.rebalanced(report);
            record(m, false);
        });
    }

    /** A Registry whose pods the rebalancer does not size (rebalancing off, or behind a pooler): they hold no more than this now. */
    public void confirm(Registry registry, long committed) {
        member(FleetNames.key(registry)).ifPresent(m -> {
            m.shared.confirm(committed);
            record(m, false);
        });
    }

    /** Whether its server admitted it (its reserve is counted): until then nothing of it may connect, its migration neither. */
    public boolean admitted(Registry registry) {
        String key = FleetNames.key(registry);
        return current(key).map(shared -> shared.shares().shares().stream()
                .anyMatch(r -> r.registry().equals(key) && r.reserve() > 0)).orElse(false);
    }

    /** The Registry's handle, if it joined. */
    public Optional<SharedFleet> current(String key) {
        return member(key).map(m -> m.shared);
    }

    /** The Registry (this uid, or any when null) is gone: it leaves its server, counted while its pods drain. */
    public synchronized void gone(String key, String uid) {
        Member m = members.get(key);
        if (m != null && (uid == null || m.uid.equals(uid))) {
            members.remove(key);
            m.shared.leave(drain);
            LOG.infof("%s: gone, its share is counted for %s more while its pods drain", key, drain);
        }
        if (recordedOnly.remove(key) != null) {
            coordinator.forget(key, drain);
        }
    }

    /**
     * Its part as the server counts it now, written ahead of a rise or as a refresh; read and written under the
     * writer's lock, so a later write never carries an older (smaller) count than one written before it.
     */
    private static void record(Member m, boolean ahead) {
        synchronized (m.writer) {
            ShareStatus now = ShareStatuses.of(m.shared);
            if (ahead) {
                m.writer.ahead(now);
            } else {
                m.writer.refresh(now);
            }
        }
    }

    private Optional<Member> member(String key) {
        return Optional.ofNullable(members.get(key));
    }

    /** Registries held here that the controller's cache no longer has (deleted, or created again with another uid). */
    void sweep() {
        try {
            members.forEach((key, m) -> {
                if (!exists(key, m.uid)) {
                    gone(key, m.uid);
                }
            });
            recordedOnly.forEach((key, uid) -> {
                if (!exists(key, uid)) {
                    gone(key, null);
                }
            });
        } catch (RuntimeException e) {
            LOG.warnf(e, "checking which Registries are gone failed; next time");
        }
    }

    private boolean exists(String key, String uid) {
        int slash = key.indexOf('/');
        return registries.get(new ResourceID(key.substring(slash + 1), key.substring(0, slash)))
                .map(r -> Objects.equals(r.getMetadata().getUid(), uid)).orElse(false);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }
}
