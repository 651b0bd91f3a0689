package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * After each round, a compact table: the time, connections committed of those available, empty slots, then one row
 * per pod. Written in one call so rounds do not interleave with other output.
 */
public final class AllocationTable implements RebalanceListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final String ROW = "  %-12s %-11s %5s %8s %8s %5s %7s %7s %8s%n";

    private final PrintStream out;

    public AllocationTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public void rebalanced(RebalanceReport report) {
        out.print(format(report));
        out.flush();
    }

    static String format(RebalanceReport report) {
        StringBuilder table = new StringBuilder();
        table.append("%s  committed %d/%d  empty slots %d (floor %d)  changes %d  deferred %d%s%n".formatted(
                TIME.format(report.at()), report.committed(), report.limits().available(), report.emptySlots(),
                report.limits().floor(), report.changes(), report.deferred(),
                report.refused() > 0 ? "  REFUSED " + report.refused() : ""));
        table.append(ROW.formatted("pod", "state", "pool", "counted", "workers", "open", "active", "demand", "req/s"));
        for (PodReport pod : report.pods()) {
            table.append(ROW.formatted(pod.name(), pod.state(), pod.poolMax(), pod.counted(), pod.workers(), pod.open(),
                    pod.active(), Double.isNaN(pod.demand()) ? "-" : "%.1f".formatted(pod.demand()),
                    "%.1f".formatted(pod.requestsPerSecond())));
        }
        return table.toString();
    }
}
