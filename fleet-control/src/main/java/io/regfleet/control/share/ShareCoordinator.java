package io.regfleet.control.share;

import io.regfleet.control.rebalance.PoolPolicy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
    private final Map<String, RecordedShares> recorded = new HashMap<>(); // by server, before or after anyone joins

    public ShareCoordinator(PoolPolicy.Tuning tuning, Clock clock) {
        this.policy = new SharePolicy(tuning);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static ShareCoordinator withDefaults() {
        return new ShareCoordinator(PoolPolicy.Tuning.DEFAULT, Clock.systemUTC());
    }

    /** Joins the Registry to the server {@code seen} identifies; it is then counted there until it leaves. */
    public synchronized SharedFleet join(ServerSnapshot seen, ShareClaim claim) {
        ServerShares shares = servers.computeIfAbsent(seen.server().id(), id -> new ServerShares(seen, policy, clock, recorded(id)));
        shares.join(claim, seen);
        return new SharedFleet(this, shares, claim.registry());
    }

    /**
     * A Registry its owner knew before it restarted, recorded on server {@code serverId} at {@code counted} connections
     * (its reserve included): the server counts it at that until it joins again, so nothing is given away that its
     * pods may still hold. Recorded before any Registry joins (the operator records every Registry's status first).
     */
    public synchronized void recorded(String serverId, String registry, String applicationName, long counted) {
        recorded(serverId).record(registry, applicationName, counted);
        ServerShares shares = servers.get(serverId);
        if (shares != null) {
            shares.refresh();
        }
    }

    /** A recorded Registry that is gone before it joined again: counted for {@code drain} more (its pods terminate). */
    public synchronized void forget(String registry, Duration drain) {
        Instant until = clock.instant().plus(drain);
        recorded.values().forEach(r -> r.leave(registry, until)); // on servers nobody has joined yet too
        servers.values().forEach(s -> s.leave(registry, drain));
    }

    private RecordedShares recorded(String serverId) {
        return recorded.computeIfAbsent(serverId, id -> new RecordedShares());
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
