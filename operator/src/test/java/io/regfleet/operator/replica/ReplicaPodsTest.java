package io.regfleet.operator.replica;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.regfleet.fleet.PodSetting;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The replica pools read from a pod's environment, as a hand-edited Deployment may give it. */
class ReplicaPodsTest {

    @Test
    void aReplicaNamedTwiceIsOnePoolAndNoReplicaOrNoSizeIsNone() {
        assertEquals(Map.of("r1:5432", 4, "r2:5432", 4), ReplicaPods.pools(List.of(container("r1:5432, r1:5432,r2:5432,", "4"))));
        assertEquals(Map.of(), ReplicaPods.pools(List.of(container("r1:5432", "four"))));
        assertEquals(Map.of(), ReplicaPods.pools(List.of(container(" ", "4"))));
    }

    /**
     * A pod started while its replica pools were rebalanced (a floor, and a ceiling an allocation may raise it to) is
     * counted at its ceiling: what it may hold while pods with fixed pools roll out beside it.
     */
    @Test
    void aPodWithACeilingIsCountedAtIt() {
        var rebalanced = new ContainerBuilder(container("r1:5432", "3"))
                .addNewEnv().withName(PodSetting.POOL_REPLICA_CEILING.env()).withValue("12").endEnv().build();
        assertEquals(Map.of("r1:5432", 12), ReplicaPods.pools(List.of(rebalanced)));
    }

    private static io.fabric8.kubernetes.api.model.Container container(String replicas, String size) {
        return new ContainerBuilder().withName("registry")
                .addNewEnv().withName(PodSetting.DB_READ_REPLICAS.env()).withValue(replicas).endEnv()
                .addNewEnv().withName(PodSetting.POOL_REPLICA_MAX_SIZE.env()).withValue(size).endEnv()
                .build();
    }
}
