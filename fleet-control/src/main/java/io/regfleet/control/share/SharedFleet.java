package io.regfleet.control.share;

import io.regfleet.control.plan.FleetPlan;
import io.regfleet.control.rebalance.FleetLimits;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * One Registry's handle on the server it shares: its plan and limits come from its granted shares, its rebalancer's
 * rounds go back as reports (this is a {@link RebalanceListener}; add it to the rebalancer), and its verdict says
 * whether it fits, naming the others.
 */
public final class SharedFleet implements RebalanceListener {
    private final ShareCoordinator coordinator;
    private final ServerShares shares;
    private final String registry;

    SharedFleet(ShareCoordinator coordinator, ServerShares shares, String registry) {
        this.coordinator = coordinator;
        this.shares = shares;
        this.registry = registry;
    }

    public String registry() {
        return registry;
    }

    /** The server it shares, with every other Registry there. */
    public ServerShares shares() {
        return shares;
    }

    /** Its plan now: the floor its pods start at, its rebalancer's limits (empty while nothing is granted). */
    public FleetPlan plan() {
        return shares.plan(registry);
    }

    /**
     * What its rebalancer reads at the start of each round (null: nothing granted, the round is skipped). Each call is
     * recorded: until the round's report comes back, the Registry is counted at least at the share it was handed.
     */
    public Supplier<FleetLimits> rebalancerLimits() {
        return () -> shares.issue(registry);
    }

    public ShareVerdict verdict() {
        return shares.verdict(registry);
    }

    @Override
    public void rebalanced(RebalanceReport report) {
        shares.reported(registry, report);
    }

    /** For a Registry without a rebalancer: its pods hold no more than this now. */
    public void confirm(long committed) {
        shares.confirm(registry, committed);
    }

    /**
     * A newer probe and the claim as the spec asks now; a probe of another server moves the Registry there (the old
     * server keeps counting it for {@code drain}). Returns the handle to use from now on.
     */
    public SharedFleet update(ServerSnapshot seen, ShareClaim claim, Duration drain) {
        if (!seen.server().id().equals(shares.server().id())) {
            return coordinator.move(this, seen, claim, drain);
        }
        shares.update(registry, claim, seen);
        return this;
    }

    /** The Registry is gone: what it holds stays counted for {@code drain} while its pods terminate. */
    public void leave(Duration drain) {
        shares.leave(registry, drain);
    }
}
