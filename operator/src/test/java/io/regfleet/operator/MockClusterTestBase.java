package io.regfleet.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.regfleet.control.share.ShareCoordinator;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.rbac.GrantedPermissions;
import io.regfleet.operator.rbac.OperatorRequests;
import io.regfleet.operator.rbac.Permission;
import io.regfleet.operator.rebalance.FleetRebalancers;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the tests of the operator against the Fabric8 mock server (CRUD) and a real embedded PostgreSQL do to the
 * cluster. Each subclass carries the same annotations ({@code @QuarkusTest}, {@code @WithKubernetesTestServer(crud =
 * true)}, {@code @QuarkusTestResource(EmbeddedPostgresResource.class)}, {@code @QuarkusTestResource(S3ProxyResource.class)}):
 * Quarkus makes beans of annotated test classes only, and one application serves every class annotated alike.
 * <p>
 * After every test, each request the operator made to the API server must be granted by config/rbac and by the OLM
 * bundle's CSV ({@link OperatorRequests}): a permission the code needs and the installs lack fails the test that
 * needed it, as a real API server would have refused it.
 */
public abstract class MockClusterTestBase {
    protected static final Duration WAIT = Duration.ofSeconds(60);
    private static KubernetesClient testClient;

    @Inject
    KubernetesClient operatorClient;

    @KubernetesTestServer
    protected KubernetesServer mockServer;

    @Inject
    protected FleetRebalancers rebalancers;

    /** Every server's shares among the Registries the operator runs. */
    @Inject
    protected ShareCoordinator shares;

    @ConfigProperty(name = "test.db.port")
    protected int dbPort;

    /** The registry image of the operator's version: what a Registry without spec.image runs. */
    @ConfigProperty(name = "regfleet.image.runtime")
    protected String runtimeImage;

    /** S3Proxy (S3ProxyResource), with the bucket images. */
    @ConfigProperty(name = "test.s3.endpoint")
    protected String s3Endpoint;
    @ConfigProperty(name = "test.s3.access-key")
    protected String s3AccessKey;
    @ConfigProperty(name = "test.s3.secret-key")
    protected String s3SecretKey;

    /** The tests' own client: the operator's configuration with a User-Agent of its own. */
    protected KubernetesClient client;

    @BeforeEach
    void testClient() {
        synchronized (MockClusterTestBase.class) {
            if (testClient == null) {
                testClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(operatorClient.getConfiguration())
                        .withUserAgent(OperatorRequests.TEST_USER_AGENT).build()).build();
            }
            client = testClient;
        }
    }

    @AfterEach
    void everyRequestOfTheOperatorIsGranted() throws InterruptedException {
        Set<Permission> needed = OperatorRequests.drain(mockServer.getKubernetesMockServer());
        Set<Permission> notInConfig = new LinkedHashSet<>(needed);
        notInConfig.removeAll(GrantedPermissions.configRbac());
        Set<Permission> notInBundle = new LinkedHashSet<>(needed);
        notInBundle.removeAll(GrantedPermissions.bundle());
        assertTrue(notInConfig.isEmpty(), "config/rbac does not grant what the operator did: " + notInConfig);
        assertTrue(notInBundle.isEmpty(), "the bundle's CSV does not grant what the operator did: " + notInBundle
                + " (@RBACRule on RegistryReconciler, then make bundle)");
    }

    /**
     * Every test's Registries share the one test database, as Registries on one server share its budget: each test's
     * leave it when the test ends (their fake pods drain at once: %test gone-grace), so the next test's have it whole.
     */
    @AfterEach
    void registriesLeaveTheServer() {
        client.resources(Registry.class).inAnyNamespace().list().getItems()
                .forEach(r -> client.resources(Registry.class).inNamespace(r.getMetadata().getNamespace())
                        .withName(r.getMetadata().getName()).delete());
        await().atMost(WAIT).until(() -> shares.servers().stream().allMatch(s -> s.shares().isEmpty()));
    }

    protected String namespace(String name) {
        client.resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).createOr(n -> n.update());
        return name;
    }

    /** A namespace with the database Secret {@code db} of the test database, as most Registries here name it. */
    protected String namespaceWithDatabase(String name) {
        String ns = namespace(name);
        databaseSecret(ns, "db", dbPort);
        return ns;
    }

    /** The database Secret the Registries name, pointing at {@code port} on this machine. */
    protected void databaseSecret(String ns, String name, int port) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withStringData(Map.of("host", "127.0.0.1", "port", Integer.toString(port), "database", "regfleet",
                        "user", "fleet", "password", "fleet-pw"))
                .build()).createOr(s -> s.update());
    }

    /** An S3 credentials Secret with S3Proxy's access key and this secret key. */
    protected void s3CredentialsSecret(String ns, String name, String secretKey) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
                .withStringData(Map.of("accessKeyId", s3AccessKey, "secretAccessKey", secretKey)).build()).create();
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

    /** The name of a migration attempt of the Registry's image (its own, else the operator's version's). */
    protected String migrationJob(Registry registry, int attempt) {
        String image = registry.getSpec().image == null ? runtimeImage : registry.getSpec().image;
        return FleetNames.migrationJob(registry, image, attempt);
    }

    protected Job awaitJob(String ns, Registry registry) {
        return awaitJob(ns, registry, 1);
    }

    protected Job awaitJob(String ns, Registry registry, int attempt) {
        return await().atMost(WAIT).until(() -> client.batch().v1().jobs().inNamespace(ns)
                .withName(migrationJob(registry, attempt)).get(), j -> j != null);
    }

    /** Plays the Job controller, which the mock server lacks: the Job finished now. */
    protected void completeJob(Job job, boolean succeeded) {
        completeJob(job, succeeded ? "Complete" : "BackoffLimitExceeded", Instant.now());
    }

    /**
     * Plays the Job controller: {@code Complete}, or failed with this reason (BackoffLimitExceeded, DeadlineExceeded)
     * at this time.
     */
    protected void completeJob(Job job, String outcome, Instant at) {
        boolean succeeded = outcome.equals("Complete");
        var condition = new JobConditionBuilder().withType(succeeded ? "Complete" : "Failed").withStatus("True")
                .withLastTransitionTime(at.toString());
        var status = succeeded
                ? new JobStatusBuilder().withSucceeded(1).withConditions(condition.build())
                : new JobStatusBuilder().withFailed(3).withConditions(condition.withReason(outcome)
                .withMessage(outcome.equals("DeadlineExceeded") ? "Job was active longer than specified deadline"
                        : "Job has reached the specified backoff limit").build());
        client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName())
                .editStatus(j -> {
                    j.setStatus(status.build());
                    return j;
                });
    }

    /**
     * Edits the Registry as a user would, again on a conflict: the operator patches its status meanwhile, and the mock
     * server versions status and spec as one.
     */
    protected Registry editRegistry(String ns, String name, UnaryOperator<Registry> change) {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.resources(Registry.class).inNamespace(ns).withName(name).edit(change);
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 10) {
                    throw e;
                }
            }
        }
    }

    /** Installs a CRD of another project (a ServiceMonitor's, cert-manager's Certificate's): v1, namespaced. */
    protected void installCrd(String group, String kind, String plural) {
        client.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(plural + "." + group).endMetadata()
                .withNewSpec().withGroup(group).withScope("Namespaced")
                .withNewNames().withKind(kind).withPlural(plural).withSingular(kind.toLowerCase(java.util.Locale.ROOT)).endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion()
                .endSpec().build()).createOr(NonDeletingOperation::update);
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

    /** A registry pod as the kubelet reports it once its container started, its agent on this machine's port. */
    protected void runningPod(String ns, String registry, String name, int managementPort) {
        Map<String, String> labels = new HashMap<>(Map.of("app.kubernetes.io/name", "regfleet-registry",
                "app.kubernetes.io/instance", registry, "app.kubernetes.io/component", "registry"));
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(name).withNamespace(ns).withLabels(labels).endMetadata()
                .withNewSpec().addNewContainer().withName("registry").withImage("registry:test")
                .addNewPort().withName("management").withContainerPort(managementPort).endPort()
                .endContainer().endSpec()
                .withNewStatus().withPhase("Running").withPodIP("127.0.0.1")
                .addNewContainerStatus().withName("registry").withStarted(true).withReady(true).endContainerStatus()
                .endStatus()
                .build();
        Pod created = client.resource(pod).create();
        if (created.getStatus() == null || created.getStatus().getPodIP() == null) {
            created.setStatus(pod.getStatus());
            client.resource(created).updateStatus();
        }
    }

    /** The Registry's agent token, once the operator made its Secret; null before. */
    protected String agentToken(String ns, String registry) {
        Secret s = client.secrets().inNamespace(ns).withName(registry + "-agent-token").get();
        if (s == null) {
            return null;
        }
        if (s.getData() != null && s.getData().get(PodContract.AGENT_TOKEN_KEY) != null) {
            return new String(Base64.getDecoder().decode(s.getData().get(PodContract.AGENT_TOKEN_KEY)), StandardCharsets.UTF_8);
        }
        return s.getStringData().get(PodContract.AGENT_TOKEN_KEY);
    }

}
