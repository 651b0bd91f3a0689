package io.regfleet.control.share;

import io.regfleet.control.budget.DatabaseLimits;

import java.util.Collection;
import java.util.Map;
import java.util.Objects;

/**
 * What a probe saw of a server at one moment.
 *
 * @param server              which server
 * @param limits              its limits; {@code heldByOthers} counts the client connections outside every Regfleet
 *                            Registry (application names not starting with {@code regfleet/}; the operator's own
 *                            short probes are in every Registry's reserve instead)
 * @param registryConnections connections per Registry, by the {@code <registry>} of application names
 *                            {@code regfleet/<registry>/<pod>}
 */
public record ServerSnapshot(ServerIdentity server, DatabaseLimits limits, Map<String, Integer> registryConnections) {
    public ServerSnapshot {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(limits, "limits");
        registryConnections = Map.copyOf(registryConnections);
    }

    /**
     * Connections held by anything but the Registries named: foreign clients, and Regfleet Registries this server's
     * shares do not know (another operator, a fleet started by hand), whose connections nobody else counts.
     */
    public int heldOutside(Collection<String> knownRegistries) {
        int unknown = registryConnections.entrySet().stream().filter(e -> !knownRegistries.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue).sum();
        return limits.heldByOthers() + unknown;
    }

    /** Its limits as the Registries named see them: every connection outside them is held by others. */
    public DatabaseLimits limitsOutside(Collection<String> knownRegistries) {
        return new DatabaseLimits(limits.maxConnections(), limits.superuserReservedConnections(), limits.reservedConnections(),
                limits.roleConnectionLimit(), heldOutside(knownRegistries), limits.aurora());
    }
}
