package io.regfleet.operator.replica;

import io.regfleet.fleet.ReplicaReport;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One read replica as the pods that answered see it, from their agents' reports ({@code GET /fleet/replicas}).
 *
 * @param reporting        pods that reported on it
 * @param serving          of those, the pods that send reads to it
 * @param maxLagSeconds    the largest lag a pod saw
 * @param quarantineReason Unreachable when a pod cannot reach it, else Lagging when a pod has it quarantined; null
 *                         when every pod serves from it
 */
public record ReplicaSightings(int reporting, int serving, double maxLagSeconds, String quarantineReason) {

    /** Each pod's reports (one list per pod that answered), by replica ({@code host:port} as the pods were given it). */
    public static Map<String, ReplicaSightings> of(Collection<List<ReplicaReport>> pods) {
        Map<String, List<ReplicaReport>> byReplica = pods.stream().flatMap(List::stream)
                .collect(Collectors.groupingBy(ReplicaReport::replica, TreeMap::new, Collectors.toList()));
        Map<String, ReplicaSightings> sightings = new TreeMap<>();
        byReplica.forEach((replica, reports) -> sightings.put(replica, summary(reports)));
        return sightings;
    }

    private static ReplicaSightings summary(List<ReplicaReport> reports) {
        int serving = (int) reports.stream().filter(ReplicaReport::serving).count();
        double lag = reports.stream().mapToDouble(ReplicaReport::lagSeconds).max().orElse(0);
        String reason = reports.stream().anyMatch(r -> !r.serving() && ReplicaReport.UNREACHABLE.equals(r.reason()))
                ? ReplicaReport.UNREACHABLE : serving < reports.size() ? ReplicaReport.LAGGING : null;
        return new ReplicaSightings(reports.size(), serving, lag, reason);
    }
}
