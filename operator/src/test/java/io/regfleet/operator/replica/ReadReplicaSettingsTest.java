package io.regfleet.operator.replica;

import io.regfleet.operator.SampleRegistries;
import io.regfleet.operator.api.v1alpha1.PoolerSpec;
import io.regfleet.operator.api.v1alpha1.ReadReplicaSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The read-replica settings checked as the CRD's schema and CEL rules check them, in a condition's words. */
class ReadReplicaSettingsTest {
    private static Optional<String> refusal(Consumer<Registry> edit) {
        Registry r = SampleRegistries.onS3("ns", "r");
        edit.accept(r);
        return ReadReplicaSettings.refusal(r);
    }

    @Test
    void noReplicasOrWellFormedOnesAreAccepted() {
        assertEquals(Optional.empty(), refusal(r -> { }));
        assertEquals(Optional.empty(), refusal(r -> r.getSpec().database.readReplicas = List.of(
                new ReadReplicaSpec("reader.cluster-ro-abc.eu-west-1.rds.amazonaws.com", null), new ReadReplicaSpec("10.0.0.7", 5433))));
        assertEquals(Optional.empty(), refusal(r -> {
            r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("r1", null));
            r.getSpec().database.replicaMaxLag = "500ms";
        }));
    }

    @Test
    void eachMistakeIsNamed() {
        assertEquals(Optional.of("spec.database.readReplicas[1].host must be a host name or an IPv4 address"),
                refusal(r -> r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("ok", null),
                        new ReadReplicaSpec("a:5432", null))));
        assertEquals(Optional.of("spec.database.readReplicas[0].host must be a host name or an IPv4 address"),
                refusal(r -> r.getSpec().database.readReplicas = Collections.singletonList(new ReadReplicaSpec(null, null))));
        assertEquals(Optional.of("spec.database.readReplicas[0].port must be between 1 and 65535"),
                refusal(r -> r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("r1", 70000))));
        assertEquals(Optional.of("spec.database.readReplicas[1] names r1 a second time"),
                refusal(r -> r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("r1", null), new ReadReplicaSpec("r1", null))));
        assertEquals(Optional.of("spec.database.replicaMaxLag must be a number above 0 and one unit (ms, s, m, h, d), e.g. 2s"),
                refusal(r -> {
                    r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("r1", null));
                    r.getSpec().database.replicaMaxLag = "2 seconds";
                }));
        assertEquals(Optional.of("spec.database.readReplicas names more than 16 replicas"),
                refusal(r -> r.getSpec().database.readReplicas = java.util.stream.IntStream.range(0, 17)
                        .mapToObj(i -> new ReadReplicaSpec("r" + i, null)).toList()));
        assertEquals(Optional.of("spec.database.readReplicas cannot be combined with spec.database.pooler yet"),
                refusal(r -> {
                    r.getSpec().database.readReplicas = List.of(new ReadReplicaSpec("r1", null));
                    r.getSpec().database.pooler = new PoolerSpec();
                }));
    }
}
