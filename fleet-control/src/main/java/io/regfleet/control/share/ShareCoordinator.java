package io.regfleet.control.share;

import io.regfleet.control.rebalance.PoolPolicy;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every server's shares, for a process that runs the fleets of several Registries: the operator (one per Registry)
 * and a local run of several fleets. A Registry joins the server its probe identified and gets a {@link SharedFleet}
 * to plan and rebalance with; Registries on one server share its connections through one {@link ServerShares}.
 */
public final class ShareCoordinator {
    private final SharePolicy policy;
    private final Clock clock;
    private final Map<String, ServerShares> servers = new HashMap<>();

    public ShareCoordinator(PoolPolicy.Tuning tuning, Clock clock) {
        this.policy = new SharePolicy(tuning);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static ShareCoordinator withDefaults() {
        return new ShareCoordinator(PoolPolicy.Tuning.DEFAULT, Clock.systemUTC());
    }

    /** Joins the Registry to the server {@code seen} identifies; it is then counted there until it leaves. */
    public synchronized SharedFleet join(ServerSnapshot seen, ShareClaim claim) {
        ServerShares shares = servers.computeIfAbsent(seen.server().id(), id -> new ServerShares(seen, policy, clock));
        shares.join(claim, seen);
        return new SharedFleet(this, shares, claim.registry());
    }

    /** The shares of every server in use, for status and tables. */
    public synchronized List<ServerShares> servers() {
        return List.copyOf(servers.values());
    }

    /** Moves a Registry whose database now lives on another server: it leaves the old one (its pods drain there). */
    synchronized SharedFleet move(SharedFleet fleet, ServerSnapshot seen, ShareClaim claim, Duration drain) {
        fleet.shares().leave(fleet.registry(), drain);
        return join(seen, claim);
    }
}
