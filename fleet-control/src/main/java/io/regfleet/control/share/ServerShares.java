package io.regfleet.control.share;

import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.RebalanceReport;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Collectors;

/**
 * One server's connections, shared by the Registries on it with the rebalancer's protocol one level up. A Registry's
 * share is lowered at once (its rebalancer reads the lower one at its next round and shrinks its pods), but it stays
 * counted at what it held until its rebalancer reports a round that committed no more; only then is the room given to
 * another Registry, each raise checked first. The invariant, at every instant: what every Registry is counted at
 * ({@link ShareRecord#counted()}) together stays within what the server leaves the Registries ({@link #available()}:
 * its limit less its reserves, every Registry's reserve and the connections outside them).
 * No I/O: the probe's snapshots come in, shares go out to the rebalancers, reports come back; every step is under
 * this object's lock, so the rebalancers of several Registries (threads of one operator, fleets of one process) can
 * call it at any time.
 */
public final class ServerShares {
    private static final Logger LOG = Logger.getLogger(ServerShares.class);

    private final SharePolicy policy;
    private final Clock clock;
    private final Map<String, ShareRecord> records = new LinkedHashMap<>(); // in the order they joined
    private final RecordedShares recorded;
    private ServerSnapshot snapshot;
    private int available;

    ServerShares(ServerSnapshot snapshot, SharePolicy policy, Clock clock, RecordedShares recorded) {
        this.snapshot = snapshot;
        this.policy = policy;
        this.clock = clock;
        this.recorded = recorded;
    }

    public synchronized ServerIdentity server() {
        return snapshot.server();
    }

    /** What every Registry's pods may hold together now. */
    public synchronized int available() {
        return available;
    }

    /** What every Registry is counted at together; at most {@link #available()} unless the server's limit fell. */
    public synchronized long committed() {
        return records.values().stream().mapToLong(ShareRecord::counted).sum() + recorded.counted(snapshot);
    }

    public synchronized boolean holds() {
        return committed() <= available;
    }

    synchronized void join(ShareClaim claim, ServerSnapshot seen) {
        ShareRecord existing = records.get(claim.registry());
        if (existing != null && !existing.leaving()) {
            throw new IllegalStateException(claim.registry() + " already shares " + snapshot.server());
        }
        if (existing != null) {
            existing.leavingUntil = null; // it came back before its pods drained: it keeps what it holds
            existing.claim = claim;
        } else {
            ShareRecord joined = new ShareRecord(claim);
            long before = recorded.take(claim.registry());
            if (before >= 0) {
                joined.rejoined(before); // counted at what it recorded until it reports again
            }
            records.put(claim.registry(), joined);
        }
        update(seen);
    }

    /** A newer probe of the server (any Registry's), and the claim as the Registry's spec asks now. */
    synchronized void update(String registry, ShareClaim claim, ServerSnapshot seen) {
        record(registry).claim = claim;
        update(seen);
    }

    private void update(ServerSnapshot seen) {
        snapshot = seen;
        step();
    }

    /**
     * The Registry is gone (or moved to another server): its share is no longer given, but what it holds stays
     * counted for {@code drain} (its pods' termination grace period), since its pods may still be connected.
     */
    synchronized void leave(String registry, Duration drain) {
        ShareRecord r = records.get(registry);
        if (r != null && !r.leaving()) {
            r.leavingUntil = clock.instant().plus(drain);
            step();
        } else if (r == null) {
            recorded.leave(registry, clock.instant().plus(drain)); // known only from its record: counted while it drains
            step();
        }
    }

    /** Something recorded changed (a Registry known from its owner's record): shares are computed again. */
    synchronized void refresh() {
        step();
    }

    /** The limits its rebalancer shares this round (null: nothing granted yet, no round); recorded as in flight. */
    synchronized FleetLimits issue(String registry) {
        ShareRecord r = record(registry);
        if (r.leaving()) {
            return null;
        }
        FleetLimits limits = r.plan().limits().orElse(null);
        if (limits != null) {
            r.issued = Math.max(r.issued, r.share);
        }
        return limits;
    }

    /** The Registry's plan with its granted shares (its pods' floor, its rebalancer's limits). */
    synchronized FleetPlan plan(String registry) {
        return record(registry).plan();
    }

    synchronized void reported(String registry, RebalanceReport report) {
        ShareRecord r = records.get(registry);
        if (r != null) {
            r.reported(report);
            step();
        }
    }

    /** A Registry without a rebalancer: its owner says what its pods hold now (after a rollout to a lower floor). */
    synchronized void confirm(String registry, long committed) {
        record(registry).confirmed(committed);
        step();
    }

    /** Every Registry's part, in the order they joined. */
    public synchronized List<RegistryShare> shares() {
        return records.values().stream().map(this::view).toList();
    }

    synchronized ShareVerdict verdict(String registry) {
        ShareRecord r = record(registry);
        ShareState state = state(r);
        String others = records.values().stream().filter(o -> o != r).map(o -> view(o).describe())
                .collect(Collectors.joining("; "));
        String server = "%s leaves the Registries on it %d connections (their reserves included)".formatted(snapshot.server(), available);
        String before = recorded.describe(snapshot);
        others = before.isEmpty() ? others : others.isEmpty() ? before : others + "; " + before;
        String with = others.isEmpty() ? " (no other Registry on it)" : "; the others: " + others;
        String message = switch (state) {
            case FITS -> "%s%s; this one: guaranteed %d (weight %d), share %d".formatted(server, with, r.guaranteed,
                    r.claim.weight(), r.share);
            case CAPPED -> "%s%s; this one's guaranteed %d holds fewer than its %d pods at %d each: replicas capped"
                    .formatted(server, with, r.guaranteed, r.claim.pods(), r.claim.plan().budget().perPodMinimum());
            case PENDING -> "%s%s; this one is given a guaranteed %d and a share of %d, now %d: waiting for the others to release them"
                    .formatted(server, with, r.targetGuaranteed, r.targetShare, r.guaranteed);
            case NO_ROOM -> "%s%s; this one's minimum %d (or one pod at %d) does not fit what they are guaranteed"
                    .formatted(server, with, r.claim.minimum(), r.claim.plan().budget().perPodMinimum());
            case LEAVING -> "%s; this one left, its %d connections counted until %s".formatted(server, r.counted(), r.leavingUntil);
        };
        return new ShareVerdict(state, message);
    }

    private ShareState state(ShareRecord r) {
        if (r.leaving()) {
            return ShareState.LEAVING;
        }
        if (r.targetGuaranteed == 0) {
            return ShareState.NO_ROOM;
        }
        if (r.guaranteed < r.targetGuaranteed) {
            return ShareState.PENDING;
        }
        return r.guaranteed >= r.claim.required() ? ShareState.FITS : ShareState.CAPPED;
    }

    private RegistryShare view(ShareRecord r) {
        return new RegistryShare(r.claim.registry(), r.claim.weight(), state(r), r.guaranteed, r.share, r.held(),
                r.admitted ? r.claim.reserve() : 0, r.demand);
    }

    private ShareRecord record(String registry) {
        ShareRecord r = records.get(registry);
        if (r == null) {
            throw new NoSuchElementException(registry + " does not share " + snapshot.server());
        }
        return r;
    }

    /** Targets from the policy; every Registry that loses is lowered at once, then the others raised while they fit. */
    private void step() {
        records.values().removeIf(r -> r.leaving() && !clock.instant().isBefore(r.leavingUntil));
        recorded.expire(clock.instant());
        available = SharePolicy.available(snapshot, records.values().stream().map(r -> r.claim).toList(),
                recorded.applicationNames());
        List<ShareRecord> members = records.values().stream().filter(r -> !r.leaving()).toList();
        // what the members' pods may share: less the leaving ones' count and every member's reserve
        long room = available - records.values().stream().filter(ShareRecord::leaving).mapToLong(ShareRecord::counted).sum()
                - recorded.counted(snapshot) - members.stream().mapToLong(r -> r.claim.reserve()).sum();
        Map<String, Integer> firstPass = SharePolicy.guaranteed(Math.max(0, room), members.stream().map(r -> r.claim).toList());
        // one refused that was never admitted keeps no reserve: it goes back to the others, the refused one stays out
        List<ShareRecord> refused = members.stream().filter(r -> !r.admitted && firstPass.get(r.claim.registry()) == 0).toList();
        room += refused.stream().mapToLong(r -> r.claim.reserve()).sum();
        Map<String, Integer> guaranteed = new HashMap<>(SharePolicy.guaranteed(Math.max(0, room),
                members.stream().filter(r -> !refused.contains(r)).map(r -> r.claim).toList()));
        refused.forEach(r -> guaranteed.put(r.claim.registry(), 0));
        members.forEach(r -> r.targetGuaranteed = guaranteed.get(r.claim.registry()));
        Map<String, Integer> shares = policy.shares(Math.max(0, room), members.stream().map(ShareRecord::member).toList());
        long counted = committed();
        for (ShareRecord r : members) {
            // never more than the others leave it as they are counted now: over the server's limit (it fell, or pods
            // outside a rebalancer's control hold more) every Registry shrinks, to one pod's minimum if need be (so
            // its rounds go on), and nothing is raised before the others have let go
            long leftByOthers = available - (counted - r.counted()) - r.claim.reserve();
            long lowest = Math.min(r.targetGuaranteed, r.claim.plan().budget().perPodMinimum());
            r.targetShare = (int) Math.max(lowest, Math.min(shares.get(r.claim.registry()), leftByOthers));
            r.guaranteed = Math.min(r.guaranteed, Math.min(r.targetGuaranteed, r.targetShare));
            r.share = Math.min(r.share, r.targetShare);
            r.planInForce();
        }
        members.stream().filter(r -> r.targetShare > r.share || r.targetGuaranteed > r.guaranteed)
                .sorted(Comparator.comparingInt((ShareRecord r) -> r.targetShare - r.share).reversed())
                .forEach(this::raise);
        if (committed() > available) {
            LOG.warnf("%s: the Registries on it are counted at %d, over the %d it leaves them; lowering their shares",
                    snapshot.server(), committed(), available);
        }
    }

    /**
     * As much of its target as fits now (its guaranteed share only whole, and only within its share), counted with
     * everything the raise exposes: its reserve once admitted, a higher share, a plan whose new slots or higher floor
     * pods may start in.
     */
    private void raise(ShareRecord r) {
        long room = available - (committed() - r.counted());
        int share = (int) Math.min(r.targetShare, Math.max(r.share, room - r.claim.reserve()));
        int guaranteed = r.targetGuaranteed <= share ? r.targetGuaranteed : r.guaranteed;
        int[] before = {r.share, r.guaranteed};
        boolean wasAdmitted = r.admitted;
        r.share = share;
        r.guaranteed = guaranteed;
        r.admitted = r.admitted || share > 0;
        if (r.counted() > room) {
            r.share = before[0];
            r.guaranteed = before[1];
            r.admitted = wasAdmitted;
            return;
        }
        r.planInForce();
        if (!r.claim.rebalanced()) {
            r.reported = Math.max(r.reported, r.share); // its pods restart at the new floor: held until its owner confirms
        }
    }
}
