package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.regfleet.operator.config.LeaderElection;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** With leader election on (it is, in prod), the operator holds a Lease before it reconciles anything. */
@QuarkusTest
@TestProfile(LeaderElectionTest.LeaderElectionOn.class)
@WithKubernetesTestServer(crud = true, setup = LeaderElectionTest.GrantLeases.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
class LeaderElectionTest {

    public static class LeaderElectionOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.operator-sdk.activate-leader-election-for-profiles", "test",
                    "regfleet.operator.exit-on-lost-leadership", "false");
        }
    }

    /** JOSDK checks its Lease permissions with a SelfSubjectRulesReview, which the mock server must answer. */
    public static class GrantLeases implements Consumer<KubernetesServer> {
        @Override
        public void accept(KubernetesServer server) {
            server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                    .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus()
                            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
                            .withVerbs("get", "create", "update").endResourceRule()
                            .withIncomplete(false).endStatus().build())
                    .always();
        }
    }

    @Inject
    KubernetesClient client;

    @Test
    void theOperatorTakesItsLease() {
        Lease lease = await().atMost(Duration.ofSeconds(30)).until(() -> client.leases().inAnyNamespace().list().getItems().stream()
                .filter(l -> LeaderElection.LEASE_NAME.equals(l.getMetadata().getName())).findFirst().orElse(null), l -> l != null);
        assertNotNull(lease.getSpec().getHolderIdentity());
    }
}
