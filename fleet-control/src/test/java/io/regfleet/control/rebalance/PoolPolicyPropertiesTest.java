package io.regfleet.control.rebalance;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** For every fleet the policy can meet: the plan fits the budget, respects the bounds and never starves a slot. */
class PoolPolicyPropertiesTest {
    record Fleet(FleetLimits limits, List<PodShare> pods) {
    }

    @Provide
    Arbitrary<Fleet> fleets() {
        return Combinators.combine(Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 8),
                        Arbitraries.integers().between(1, 40), Arbitraries.integers().between(0, 200))
                .flatAs((slots, floor, maxExtra, extraAvailable) -> {
                    FleetLimits limits = new FleetLimits(floor * slots + extraAvailable, slots, floor, floor + maxExtra, 1, 100);
                    Arbitrary<PodShare> pod = Combinators.combine(Arbitraries.integers().between(0, 3),
                                    Arbitraries.integers().between(1, floor + maxExtra), Arbitraries.doubles().between(0, 80))
                            .as((kind, applied, demand) -> new PodShare("p", kind != 1, kind != 2, applied, applied, demand));
                    return pod.list().ofMaxSize(slots + 3).map(list -> {
                        List<PodShare> named = new ArrayList<>();
                        for (int i = 0; i < list.size(); i++) {
                            PodShare p = list.get(i);
                            named.add(new PodShare("pod-" + i, p.adjustable(), p.holdsSlot(), p.applied(), p.counted(), p.demand()));
                        }
                        return new Fleet(limits, named);
                    });
                });
    }

    @Property(tries = 3000)
    void planFitsTheBudgetWheneverThePodsThatCannotChangeLeaveRoom(@ForAll("fleets") Fleet fleet) {
        FleetLimits limits = fleet.limits();
        Map<String, Integer> targets = new PoolPolicy(PoolPolicy.Tuning.DEFAULT).targets(limits, fleet.pods());
        List<PodShare> planned = fleet.pods().stream()
                .map(p -> new PodShare(p.name(), p.adjustable(), p.holdsSlot(), targets.get(p.name()), targets.get(p.name()), 0))
                .toList();
        long fixed = fleet.pods().stream().filter(p -> !p.adjustable()).mapToLong(PodShare::counted).sum();
        long live = fleet.pods().stream().filter(p -> p.adjustable() && p.holdsSlot()).count();
        long draining = fleet.pods().stream().filter(p -> p.adjustable() && !p.holdsSlot())
                .mapToLong(p -> Math.min(p.applied(), limits.floor())).sum();
        long reserved = (long) limits.floor() * BudgetInvariant.emptySlots(limits, fleet.pods());
        boolean feasible = fixed + draining + reserved + live <= limits.available();
        if (feasible) {
            assertTrue(BudgetInvariant.holds(limits, planned), () -> "plan " + targets + " breaks " + limits);
        }
        for (PodShare p : fleet.pods()) {
            int t = targets.get(p.name());
            if (p.adjustable()) {
                assertTrue(t >= 1, "at least one connection");
                assertTrue(t <= Math.max(p.applied(), limits.poolCeiling()), "within the per-pod maximum");
            } else {
                assertTrue(t == p.counted(), "pods that cannot change keep their count");
            }
        }
    }

    @Property(tries = 1000)
    void anAdjustablePodBelowTheFloorIsRaisedToItWhenTheBudgetAllows(@ForAll("fleets") Fleet fleet) {
        FleetLimits limits = fleet.limits();
        long fixed = fleet.pods().stream().filter(p -> !p.adjustable()).mapToLong(PodShare::counted).sum();
        long live = fleet.pods().stream().filter(p -> p.adjustable() && p.holdsSlot()).count();
        long draining = fleet.pods().stream().filter(p -> p.adjustable() && !p.holdsSlot())
                .mapToLong(p -> Math.min(p.applied(), limits.floor())).sum();
        long reserved = (long) limits.floor() * BudgetInvariant.emptySlots(limits, fleet.pods());
        if (fixed + draining + reserved + live * limits.floor() > limits.available()) {
            return; // the floor itself does not fit (pods outside the rebalancer's control hold too much)
        }
        Map<String, Integer> targets = new PoolPolicy(PoolPolicy.Tuning.DEFAULT).targets(limits, fleet.pods());
        fleet.pods().stream().filter(p -> p.adjustable() && p.holdsSlot())
                .forEach(p -> assertTrue(targets.get(p.name()) >= Math.min(limits.floor(), p.applied()) || targets.get(p.name()) >= limits.floor() - 1,
                        () -> p + " got " + targets.get(p.name()) + " under " + limits));
    }
}
