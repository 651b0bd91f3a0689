package io.regfleet.operator.replica;

import io.regfleet.fleet.ReplicaReport;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReplicaSightingsTest {
    @Test
    void eachReplicaIsSummedOverThePodsThatReportedIt() {
        Map<String, ReplicaSightings> seen = ReplicaSightings.of(List.of(
                List.of(new ReplicaReport("r1:5432", true, ReplicaReport.SERVING, 0.2, 4, 1, 10),
                        new ReplicaReport("r2:5432", false, ReplicaReport.LAGGING, 9.0, 4, 0, 1)),
                List.of(new ReplicaReport("r1:5432", true, ReplicaReport.SERVING, 0.7, 4, 2, 20),
                        new ReplicaReport("r2:5432", false, ReplicaReport.UNREACHABLE, 0, 4, 0, 0)),
                List.of(new ReplicaReport("r1:5432", false, ReplicaReport.LAGGING, 3.5, 4, 0, 5))));
        assertEquals(new ReplicaSightings(3, 2, 3.5, ReplicaReport.LAGGING), seen.get("r1:5432"));
        // a pod that cannot reach it says more than one that finds it lagging
        assertEquals(new ReplicaSightings(2, 0, 9.0, ReplicaReport.UNREACHABLE), seen.get("r2:5432"));
        assertEquals(Map.of(), ReplicaSightings.of(List.of()));
        assertEquals(new ReplicaSightings(1, 1, 0.1, null),
                ReplicaSightings.of(List.of(List.of(new ReplicaReport("r1:5432", true, ReplicaReport.SERVING, 0.1, 4, 1, 1))))
                        .get("r1:5432"));
    }
}
