package io.regfleet.fleet.local;

import io.regfleet.control.share.ServerShares;
import io.regfleet.dev.EmbeddedPostgresServer;

import java.util.ArrayList;
import java.util.List;

/**
 * Several local fleets, each a Registry of its own (its database, blobs, replicas, front address and rebalancer), on
 * one PostgreSQL whose connections they share through the operator's coordinator ({@code make run REGISTRIES=n}).
 * The fleets' front addresses are consecutive from the options' front port; their names are {@code local-fleet},
 * {@code local-fleet-2}, ...
 */
public final class LocalFleets implements AutoCloseable {
    private final FleetOptions options;
    private final LocalServer server;
    private final List<LocalFleet> fleets = new ArrayList<>();

    private LocalFleets(FleetOptions options, LocalServer server) {
        this.options = options;
        this.server = server;
    }

    /**
     * Starts the server and {@code registries} fleets on it: all join the server's shares first, so each starts its
     * replicas at the floor of its own share.
     */
    public static LocalFleets start(FleetOptions options, int registries) {
        if (registries < 1) {
            throw new IllegalArgumentException("at least one registry: " + registries);
        }
        LocalFleets all = new LocalFleets(options, LocalServer.start(options, registries));
        Closer.startOrClose(() -> {
            for (int i = 1; i <= registries; i++) {
                all.fleets.add(LocalFleet.joining(options, all.server, i));
            }
            all.fleets.forEach(LocalFleet::launch);
        }, all);
        return all;
    }

    /**
     * One more fleet joins the server and starts once its share is granted (the others shrink first). Not with read
     * replicas: their connections were shared out among the fleets started together.
     */
    public synchronized LocalFleet add() {
        if (options.readReplicas() > 0) {
            throw new IllegalStateException("the read replicas' connections are shared out among the fleets started "
                    + "together: start them all at once");
        }
        LocalFleet fleet = LocalFleet.joining(options, server, fleets.size() + 1);
        fleets.add(fleet);
        Closer.startOrClose(fleet::launch, fleet);
        return fleet;
    }

    public synchronized List<LocalFleet> fleets() {
        return List.copyOf(fleets);
    }

    /** The {@code n}th fleet, from 1. */
    public synchronized LocalFleet fleet(int n) {
        return fleets.get(n - 1);
    }

    /** The server's shares: every fleet's part, what they are counted at together and what they may hold. */
    public ServerShares shares() {
        return server.shares();
    }

    /** How the read replicas are shared out among the pods, or null without any. */
    public String readReplicasDescribed() {
        return server.services().describeReadReplicas();
    }

    public EmbeddedPostgresServer database() {
        return server.services().database();
    }

    /** Every fleet (their replicas at once), then the server. */
    @Override
    public void close() {
        List<AutoCloseable> parts = new ArrayList<>(fleets());
        parts.add(server);
        Closer.closeAll(parts.toArray(AutoCloseable[]::new));
    }
}
