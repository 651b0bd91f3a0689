package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.control.share.RegistryShare;
import io.regfleet.control.share.ServerShares;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * After each round of a fleet, a compact table: the time, the fleet, connections committed of those its share
 * allows, empty slots, one row per pod, then the server's shares: every fleet on the same PostgreSQL with its share,
 * its guaranteed part and what it is counted at; a read replica's table ({@link #ofReplica}) its pods' pools there.
 * Written in one call so rounds do not interleave with other output.
 */
public final class AllocationTable implements RebalanceListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final String ROW = "  %-12s %-11s %5s %8s %8s %5s %7s %7s %8s%n";

    private final PrintStream out;
    private final String registry;
    private final ServerShares shares;

    public AllocationTable(PrintStream out, String registry, ServerShares shares) {
        this.out = out;
        this.registry = registry;
        this.shares = shares;
    }

    /** The table of a fleet's rounds on one read replica: each pod's pool there, within the fleet's part of it. */
    public static AllocationTable ofReplica(PrintStream out, String registry, String replica) {
        return new AllocationTable(out, registry + " on read replica " + replica, null);
    }

    @Override
    public void rebalanced(RebalanceReport report) {
        out.print(format(registry, report) + (shares == null ? "" : shares(registry, shares)));
        out.flush();
    }

    static String format(RebalanceReport report) {
        return format("", report);
    }

    static String format(String registry, RebalanceReport report) {
        StringBuilder table = new StringBuilder();
        table.append("%s  %scommitted %d/%d  empty slots %d (floor %d)  changes %d  deferred %d%s%n".formatted(
                TIME.format(report.at()), registry.isEmpty() ? "" : registry + "  ", report.committed(),
                report.limits().available(), report.emptySlots(), report.limits().floor(), report.changes(),
                report.deferred(), report.refused() > 0 ? "  REFUSED " + report.refused() : ""));
        table.append(ROW.formatted("pod", "state", "pool", "counted", "workers", "open", "active", "demand", "req/s"));
        for (PodReport pod : report.pods()) {
            table.append(ROW.formatted(pod.name(), pod.state(), pod.poolMax(), pod.counted(), pod.workers(), pod.open(),
                    pod.active(), Double.isNaN(pod.demand()) ? "-" : "%.1f".formatted(pod.demand()),
                    "%.1f".formatted(pod.requestsPerSecond())));
        }
        return table.toString();
    }

    /** {@code  server ...: 55 for the Registries, counted 53 | local-fleet* share 30 (guaranteed 13, ...) | ...}. */
    static String shares(String registry, ServerShares shares) {
        StringBuilder line = new StringBuilder("  %s: %d for the Registries, counted %d".formatted(shares.server(),
                shares.available(), shares.committed()));
        for (RegistryShare share : shares.shares()) {
            line.append("  | %s%s %s share %d (guaranteed %d, pods counted %d + reserve %d, demand %s)".formatted(
                    share.registry(), share.registry().equals(registry) ? "*" : "", share.state(), share.share(),
                    share.guaranteed(), share.counted(), share.reserve(),
                    Double.isNaN(share.demand()) ? "-" : "%.1f".formatted(share.demand())));
        }
        return line.append(System.lineSeparator()).toString();
    }
}
