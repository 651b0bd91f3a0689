package io.regfleet.control.probe;

import io.regfleet.control.share.ServerSnapshot;

import java.util.Objects;

/**
 * What a probe saw of a read replica. A hot standby has its primary's {@code system_identifier}: the snapshot's
 * identity is that identifier and the replica's address ({@code <id>@<host>:<port>}), so shares keyed by server
 * identity never take a replica for its primary.
 *
 * @param server           the replica's limits and who holds its connections, under its own identity
 * @param systemIdentifier the server's {@code system_identifier} as read (null where the role may not read it)
 * @param inRecovery       {@code pg_is_in_recovery()}: a standby (Aurora readers too) replays its primary's WAL
 */
public record ReplicaSnapshot(ServerSnapshot server, String systemIdentifier, boolean inRecovery) {
    public ReplicaSnapshot {
        Objects.requireNonNull(server, "server");
    }

    /** Whether this is the primary itself (same system, not replaying), reached as a replica by another name. */
    public boolean isThePrimary(ServerSnapshot primary) {
        return !inRecovery && systemIdentifier != null && systemIdentifier.equals(primary.server().id());
    }
}
