package io.regfleet.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.rebalance.FleetRebalancers;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.awaitility.Awaitility.await;

/**
 * What the tests of the operator against the Fabric8 mock server (CRUD) and a real embedded PostgreSQL do to the
 * cluster. Each subclass carries the same three annotations ({@code @QuarkusTest},
 * {@code @WithKubernetesTestServer(crud = true)}, {@code @QuarkusTestResource(EmbeddedPostgresResource.class)}):
 * Quarkus makes beans of annotated test classes only, and one application serves every class annotated alike.
 */
public abstract class MockClusterTestBase {
    protected static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    protected KubernetesClient client;

    @Inject
    protected FleetRebalancers rebalancers;

    @ConfigProperty(name = "test.db.port")
    protected int dbPort;

    protected String namespace(String name) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).createOr(n -> n.update());
        return name;
    }

    /** The database Secret the Registries name, pointing at {@code port} on this machine. */
    protected void databaseSecret(String ns, String name, int port) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withStringData(Map.of("host", "127.0.0.1", "port", Integer.toString(port), "database", "regfleet",
                        "user", "fleet", "password", "fleet-pw"))
                .build()).createOr(s -> s.update());
    }

    /** Creates the Registry in its namespace with its database Secret, finishes its migration, waits for its pods. */
    protected Registry deployed(Registry registry) {
        String ns = namespace(registry.getMetadata().getNamespace());
        databaseSecret(ns, registry.getSpec().database.secretName, dbPort);
        Registry created = client.resource(registry).create();
        completeJob(awaitJob(ns, created), true);
        awaitDeployment(ns, created.getMetadata().getName());
        return created;
    }

    protected Deployment awaitDeployment(String ns, String name) {
        return await().atMost(WAIT).until(() -> client.apps().deployments().inNamespace(ns).withName(name).get(), d -> d != null);
    }

    protected Job awaitJob(String ns, Registry registry) {
        return await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns)
                .withName(FleetNames.migrationJob(registry)).get(), j -> j != null);
    }

    /** Plays the Job controller, which the mock server lacks. */
    protected void completeJob(Job job, boolean succeeded) {
        var status = succeeded
                ? new JobStatusBuilder().withSucceeded(1).withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build())
                : new JobStatusBuilder().withFailed(3).withConditions(new JobConditionBuilder().withType("Failed").withStatus("True").build());
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .editStatus(j -> {
                    j.setStatus(status.build());
                    return j;
                });
    }

    protected Registry awaitCondition(String ns, String name, String type, String status, String reason) {
        return await().atMost(WAIT).until(() -> client.resources(Registry.class).inNamespace(ns).withName(name).get(), r -> {
            if (r == null || r.getStatus() == null) {
                return false;
            }
            Optional<Condition> c = r.getStatus().condition(type);
            return c.isPresent() && status.equals(c.get().getStatus()) && reason.equals(c.get().getReason());
        });
    }
}
