package io.regfleet.control.share;

import io.regfleet.control.budget.ConnectionBudgetCalculator;
import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.rebalance.PoolPolicy;
import io.regfleet.control.rebalance.SpareSharing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a server's connections are shared among the Registries on it; pure, so every rule is tested without a server.
 * <ul>
 *   <li>What the Registries may hold together: the server's limit minus its own reserves and the connections held
 *       outside every Registry; each Registry's own reserve comes out of it before its pods' share.</li>
 *   <li>Guaranteed shares, in the order the Registries joined: each its floor percent of its weighted part (at least
 *       the minimum it asks for, at most what its pods can use). One that no longer fits gets nothing (its pods' floor
 *       cannot be promised), so those that joined first keep theirs.</li>
 *   <li>Shares: the guaranteed share, then the spare by demand (in proportion when demand exceeds it; what nobody
 *       needs, busiest first) up to what each can use, with the pod level's hysteresis.</li>
 * </ul>
 */
public final class SharePolicy {

    /**
     * One Registry as the policy sees it when sharing the spare.
     *
     * @param guaranteed its guaranteed share (0: not admitted)
     * @param ceiling    the most it can use
     * @param current    its share now
     * @param demand     connections its pods want in all (the sum of their demand estimates, plus the floor of its
     *                   empty slots); NaN before its rebalancer has reported
     */
    public record Member(String registry, int guaranteed, int ceiling, int current, double demand) {
    }

    private final PoolPolicy.Tuning tuning;

    public SharePolicy(PoolPolicy.Tuning tuning) {
        this.tuning = Objects.requireNonNull(tuning, "tuning");
    }

    /**
     * What the Registries on this server may hold together, their reserves (probe, migration Job, spec) included: its
     * limit (the lowest override any of them gives) less its own reserves and the connections held outside them.
     *
     * @param seeded application names of Registries counted from a record instead of a claim (their connections are
     *               in what they are counted at, not outside)
     */
    public static int available(ServerSnapshot snapshot, Collection<ShareClaim> claims, Collection<String> seeded) {
        DatabaseLimits limits = snapshot.limits();
        int serverMax = claims.stream().map(c -> c.plan().budget().maxConnectionsOverride()).filter(Objects::nonNull)
                .reduce(limits.maxConnections(), Math::min);
        long reserved = limits.superuserReservedConnections() + limits.reservedConnections()
                + (limits.aurora() ? ConnectionBudgetCalculator.AURORA_AUTOMATION_CONNECTIONS : 0);
        List<String> known = new ArrayList<>(seeded);
        claims.forEach(c -> known.add(c.applicationName()));
        long held = snapshot.heldOutside(known);
        return (int) Math.max(0, serverMax - reserved - held);
    }

    /**
     * Guaranteed shares out of {@code room}, claims in the order they joined; 0 for one that does not fit. The weight
     * of one that does not fit does not count: it would lower the others' parts and get nothing itself.
     */
    public static Map<String, Integer> guaranteed(long room, List<ShareClaim> claims) {
        List<ShareClaim> weighed = new ArrayList<>(claims);
        while (true) {
            Map<String, Integer> guaranteed = guaranteed(room, claims, weighed);
            if (!weighed.removeIf(c -> guaranteed.get(c.registry()) == 0)) {
                return guaranteed;
            }
        }
    }

    private static Map<String, Integer> guaranteed(long room, List<ShareClaim> claims, List<ShareClaim> weighed) {
        long weights = weighed.stream().mapToLong(ShareClaim::weight).sum();
        Map<String, Integer> guaranteed = new LinkedHashMap<>();
        long used = 0;
        for (ShareClaim claim : claims) {
            if (!weighed.contains(claim)) {
                guaranteed.put(claim.registry(), 0);
                continue;
            }
            long weighted = room * claim.weight() / Math.max(1, weights);
            long part = weighted * claim.floorPercent() / 100;
            long wanted = Math.min(Math.max(claim.minimum(), Math.max(part, floors(weighted, claim))), claim.ceiling());
            long given = Math.min(wanted, room - used);
            if (given < Math.max(claim.minimum(), claim.plan().budget().perPodMinimum())) {
                given = 0; // not even its minimum, or one pod at the per-pod minimum: nothing can be promised
            }
            guaranteed.put(claim.registry(), (int) given);
            used += given;
        }
        return guaranteed;
    }

    /**
     * The floors a fleet alone on {@code weighted} connections gets (its pods at the per-pod minimum at least, as many
     * as fit): a floor percent of a small part may not hold one pod at the minimum, where the whole part holds several.
     * A Registry alone on its server so keeps the plan it would have had without sharing, capped replicas included.
     */
    private static long floors(long weighted, ShareClaim claim) {
        long base = Math.min(weighted, claim.roleRoom());
        int fleet = (int) Math.max(0, Math.min(Integer.MAX_VALUE, base));
        return ConnectionBudgetCalculator.split(fleet, claim.plan().budget(), claim.floorPercent()).allocatedTotal();
    }

    /** Every member's share of {@code room}, each at least its guaranteed share (which must fit the room together). */
    public Map<String, Integer> shares(long room, List<Member> members) {
        int n = members.size();
        long spare = room - members.stream().mapToLong(Member::guaranteed).sum();
        if (spare < 0) {
            throw new IllegalArgumentException("guaranteed shares exceed the room " + room + ": " + members);
        }
        long[] need = new long[n];
        long[] headroom = new long[n];
        double[] demand = new double[n];
        for (int i = 0; i < n; i++) {
            Member m = members.get(i);
            headroom[i] = m.guaranteed() == 0 ? 0 : Math.max(0, m.ceiling() - m.guaranteed());
            demand[i] = Double.isNaN(m.demand()) ? 0 : m.demand();
            need[i] = Math.max(0, Math.min(headroom[i], (long) Math.ceil(demand[i]) - m.guaranteed()));
        }
        int[] extra = SpareSharing.extras(need, headroom, demand, spare);
        Map<String, Integer> raw = new LinkedHashMap<>();
        Map<String, Integer> steady = new LinkedHashMap<>();
        long total = 0;
        for (int i = 0; i < n; i++) {
            Member m = members.get(i);
            int target = m.guaranteed() + extra[i];
            boolean keep = m.current() >= m.guaranteed() && m.current() <= Math.max(m.guaranteed(), m.ceiling())
                    && tuning.negligible(m.current(), target);
            raw.put(m.registry(), target);
            steady.put(m.registry(), keep ? m.current() : target);
            total += keep ? m.current() : target;
        }
        return total <= room ? steady : raw;
    }
}
