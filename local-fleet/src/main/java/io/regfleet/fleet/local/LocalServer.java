package io.regfleet.fleet.local;

import io.regfleet.control.budget.DatabaseLimits;
import io.regfleet.control.share.ServerShares;
import io.regfleet.control.share.ServerSnapshot;
import io.regfleet.control.share.ShareClaim;
import io.regfleet.control.share.ShareCoordinator;
import io.regfleet.control.share.SharedFleet;

import java.util.function.Function;

/**
 * One PostgreSQL server with the fleets on it: the services they share, the folder they live in, and the coordinator
 * that shares the server's connections among them (the operator runs the same one for its Registries).
 */
final class LocalServer implements AutoCloseable {
    private final FleetHome home;
    private final SharedServices services;
    private final ShareCoordinator coordinator = ShareCoordinator.withDefaults();

    private LocalServer(FleetHome home, SharedServices services) {
        this.home = home;
        this.services = services;
    }

    /**
     * Starts PostgreSQL (and the latency proxy, S3Proxy, read replicas) in the options' home, for {@code registries}
     * fleets; on failure stops what started.
     */
    static LocalServer start(FleetOptions options, int registries) {
        FleetHome home = FleetHome.of(options.home());
        SharedServices services = new SharedServices(options, home, registries);
        Closer.startOrClose(services::start, () -> Closer.closeAll(services, home));
        return new LocalServer(home, services);
    }

    FleetHome home() {
        return home;
    }

    SharedServices services() {
        return services;
    }

    /** The fleet's store created and its claim (made from the server's limits) joined to the server's shares. */
    SharedFleet join(String store, Function<DatabaseLimits, ShareClaim> claim) {
        services.createStore(store);
        ServerSnapshot seen = services.probe();
        return coordinator.join(seen, claim.apply(seen.limits()));
    }

    /** The server's shares: every fleet's part, what they hold together and what they may. */
    ServerShares shares() {
        return coordinator.servers().getFirst();
    }

    @Override
    public void close() {
        Closer.closeAll(services, home);
    }
}
