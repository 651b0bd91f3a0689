package io.regfleet.fleet.local;

import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceReport;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the live view shows of one fleet, as JSON: the allocation table of its last round (the rows the terminal
 * table prints) and the history of its rounds (each pod's pool maximum and open connections), oldest first.
 */
record FleetSnapshot(String registry, String front, Table table, String shares, List<Round> history) {

    /** The last round: its time (epoch milliseconds) and totals, and one row per pod; null before the first round. */
    record Table(long at, long committed, int available, int emptySlots, int floor, int changes, int deferred,
                 int refused, List<Row> pods) {
    }

    /** A pod in a round; {@code demand} is null while unknown. */
    record Row(String name, String state, int poolMax, int counted, int workers, int open, int active, Double demand,
               double requestsPerSecond) {
    }

    /** One round of the history: each pod's pool maximum and open connections, by pod name. */
    record Round(long at, Map<String, Point> pods) {
    }

    record Point(int poolMax, int open) {
    }

    static FleetSnapshot of(LocalFleet fleet) {
        List<RebalanceReport> reports = fleet.reports();
        Table table = reports.isEmpty() ? null : table(reports.getLast());
        return new FleetSnapshot(fleet.registry(), fleet.front().toString(), table,
                AllocationTable.shares(fleet.registry(), fleet.shares()).strip(),
                reports.stream().map(FleetSnapshot::round).toList());
    }

    private static Table table(RebalanceReport report) {
        return new Table(report.at().toEpochMilli(), report.committed(), report.limits().available(), report.emptySlots(),
                report.limits().floor(), report.changes(), report.deferred(), report.refused(),
                report.pods().stream().map(FleetSnapshot::row).toList());
    }

    private static Row row(PodReport pod) {
        return new Row(pod.name(), pod.state().name(), pod.poolMax(), pod.counted(), pod.workers(), pod.open(),
                pod.active(), Double.isNaN(pod.demand()) ? null : pod.demand(), pod.requestsPerSecond());
    }

    private static Round round(RebalanceReport report) {
        Map<String, Point> pods = new LinkedHashMap<>();
        report.pods().forEach(p -> pods.put(p.name(), new Point(p.poolMax(), p.open())));
        return new Round(report.at().toEpochMilli(), pods);
    }
}
