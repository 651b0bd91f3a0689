package io.regfleet.control.budget;

/**
 * What the live database allows, as read by a {@link DatabaseLimitsProbe}.
 *
 * @param maxConnections              the server's max_connections
 * @param superuserReservedConnections superuser_reserved_connections
 * @param reservedConnections         reserved_connections (PostgreSQL 16+, else 0)
 * @param roleConnectionLimit         the role's rolconnlimit, -1 when unlimited
 * @param heldByOthers                client connections held now by anything outside this fleet
 * @param aurora                      Aurora PostgreSQL (AWS keeps connections for its automation)
 */
public record DatabaseLimits(int maxConnections, int superuserReservedConnections, int reservedConnections,
                             int roleConnectionLimit, int heldByOthers, boolean aurora) {
    public static final int UNLIMITED = -1;
}
