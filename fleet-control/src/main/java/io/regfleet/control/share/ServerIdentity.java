package io.regfleet.control.share;

import java.util.Objects;

/**
 * One PostgreSQL server (one cluster: every database in it shares its max_connections), known by its
 * {@code system_identifier} from {@code pg_control_system()}: two host names, an IP and a DNS alias, or a database
 * reached through a proxy are the same server when this is the same.
 *
 * @param id      the system identifier (or, where the probe cannot read it, {@code address:} and the address)
 * @param address how it was reached, for messages only
 */
public record ServerIdentity(String id, String address) {
    public ServerIdentity {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }

    @Override
    public String toString() {
        return "PostgreSQL server " + id + " (" + address + ")";
    }
}
