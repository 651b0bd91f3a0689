package io.regfleet.e2e.k3s;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * PostgreSQL 18 inside the cluster with a small max_connections (so the budget matters), its Service, and the
 * database Secret a Registry references (keys host, port, database, user, password: RegistryPods.databaseEnv).
 */
final class ClusterPostgres {
    static final String NAME = "postgres";
    static final String DATABASE = "regfleet";
    static final String USER = "regfleet";
    static final String PASSWORD = "regfleet-e2e";
    static final int MAX_CONNECTIONS = 40;
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/name", NAME);

    private ClusterPostgres() {
    }

    static void deploy(KubernetesClient client, String namespace) {
        Deployment deployment = new DeploymentBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).withLabels(LABELS).endMetadata()
                .withNewSpec()
                .withReplicas(1)
                .withNewSelector().withMatchLabels(LABELS).endSelector()
                .withNewTemplate()
                .withNewMetadata().withLabels(LABELS).endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName(NAME)
                .withImage("postgres:18")
                .withArgs("-c", "max_connections=" + MAX_CONNECTIONS)
                .addNewEnv().withName("POSTGRES_USER").withValue(USER).endEnv()
                .addNewEnv().withName("POSTGRES_PASSWORD").withValue(PASSWORD).endEnv()
                .addNewEnv().withName("POSTGRES_DB").withValue(DATABASE).endEnv()
                .addNewPort().withName("postgres").withContainerPort(5432).endPort()
                // over TCP: the entrypoint's init server listens on the socket only, so ready means the real one
                .withNewReadinessProbe()
                .withNewExec().withCommand("pg_isready", "-h", "127.0.0.1", "-U", USER, "-d", DATABASE).endExec()
                .withPeriodSeconds(2)
                .endReadinessProbe()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        client.resource(deployment).create();
        client.resource(new ServiceBuilder()
                .withNewMetadata().withName(NAME).withNamespace(namespace).endMetadata()
                .withNewSpec().withSelector(LABELS)
                .addNewPort().withName("postgres").withPort(5432).withTargetPort(new IntOrString(5432)).endPort()
                .endSpec().build()).create();
    }

    static void createSecret(KubernetesClient client, String namespace, String name) {
        client.resource(new SecretBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .addToStringData("host", NAME + "." + namespace + ".svc")
                .addToStringData("port", "5432")
                .addToStringData("database", DATABASE)
                .addToStringData("user", USER)
                .addToStringData("password", PASSWORD)
                .build()).create();
    }

    static void awaitReady(KubernetesClient client, String namespace) {
        client.apps().deployments().inNamespace(namespace).withName(NAME).waitUntilCondition(
                d -> d != null && d.getStatus() != null && Integer.valueOf(1).equals(d.getStatus().getReadyReplicas()),
                5, TimeUnit.MINUTES);
    }

    /** A local port forwarded to the PostgreSQL pod, for the test's own sampling connection. */
    static LocalPortForward portForward(KubernetesClient client, String namespace) {
        Pod pod = client.pods().inNamespace(namespace).withLabels(LABELS).list().getItems().getFirst();
        return client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).portForward(5432);
    }

    static String jdbcUrl(LocalPortForward forward) {
        return "jdbc:postgresql://127.0.0.1:" + forward.getLocalPort() + "/" + DATABASE;
    }
}
