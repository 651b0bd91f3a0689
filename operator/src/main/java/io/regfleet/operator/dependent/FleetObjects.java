package io.regfleet.operator.dependent;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.EndpointBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.RelabelConfigBuilder;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitorBuilder;
import io.regfleet.fleet.PodContract;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The desired state of the smaller objects a Registry gets, each a pure function of the Registry and its plan (the
 * Deployment is {@link RegistryDeployment}, the migration Job {@link SchemaMigration}).
 */
public final class FleetObjects {
    private static final String REGISTRY = "registry";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FleetObjects() {
    }

    /** The registry API (http, 5000) and the management port (9000) scraped for metrics. */
    public static Service service(Registry registry) {
        return new ServiceBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.service(registry), REGISTRY))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(FleetNames.selectorLabels(registry))
                .withPorts(
                        new ServicePortBuilder().withName("http").withPort(PodContract.HTTP_PORT)
                                .withTargetPort(new IntOrString("http")).withProtocol("TCP").build(),
                        new ServicePortBuilder().withName("management").withPort(PodContract.MANAGEMENT_PORT)
                                .withTargetPort(new IntOrString("management")).withProtocol("TCP").build())
                .endSpec()
                .build();
    }

    /** At most one registry pod voluntarily disrupted at a time (drains, node upgrades). */
    public static PodDisruptionBudget podDisruptionBudget(Registry registry) {
        return new PodDisruptionBudgetBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.deployment(registry), REGISTRY))
                .withNewSpec().withMaxUnavailable(new IntOrString(1)).withSelector(registryPods(registry)).endSpec()
                .build();
    }

    /** CPU autoscaling of the registry Deployment; its maximum is the budget's, never more than the spec's. */
    public static HorizontalPodAutoscaler autoscaler(Registry registry, RegistryPlan plan) {
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.deployment(registry), REGISTRY))
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                .withName(FleetNames.deployment(registry)).endScaleTargetRef()
                .withMinReplicas(plan.fleet().hpaMinReplicas())
                .withMaxReplicas(plan.fleet().budget().maxReplicas())
                .withMetrics(new MetricSpecBuilder().withType("Resource")
                        .withNewResource().withName("cpu")
                        .withNewTarget().withType("Utilization")
                        .withAverageUtilization(registry.getSpec().autoscaling.targetCPUUtilizationPercentage)
                        .endTarget().endResource().build())
                .endSpec()
                .build();
    }

    /**
     * Prometheus Operator scraping of the metrics on the management port; every series gets the label registry (the
     * alerts and the dashboard of config/monitoring select by namespace and registry).
     */
    public static ServiceMonitor serviceMonitor(Registry registry) {
        return new ServiceMonitorBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.service(registry), REGISTRY))
                .withNewSpec()
                .withSelector(registryPods(registry))
                .withEndpoints(new EndpointBuilder().withPort("management").withPath(PodContract.METRICS_PATH)
                        .withInterval("30s").withRelabelings(new RelabelConfigBuilder().withTargetLabel("registry")
                                .withReplacement(registry.getMetadata().getName()).build()).build())
                .endSpec()
                .build();
    }

    private static LabelSelector registryPods(Registry registry) {
        return new LabelSelectorBuilder().withMatchLabels(FleetNames.selectorLabels(registry)).build();
    }

    /** The registry pods' own ServiceAccount: the spec's annotations (a cloud identity), and no API token for anyone. */
    public static ServiceAccount serviceAccount(Registry registry) {
        var spec = registry.getSpec().serviceAccount;
        return new ServiceAccountBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.serviceAccount(registry), REGISTRY))
                .editMetadata().addToAnnotations(spec == null || spec.annotations == null ? Map.of() : spec.annotations).endMetadata()
                .withAutomountServiceAccountToken(false)
                .build();
    }

    /**
     * The registry API open to every client; the management port (the pod agent, health, metrics) to the operator's
     * pods and to the namespaces of spec.networkPolicy.metricsNamespaceSelector (Prometheus) only. Kubelet probes come
     * from the node, which a NetworkPolicy always admits. Ingress only: the pods reach their database and S3 freely.
     */
    public static NetworkPolicy networkPolicy(Registry registry, RegistryPlan plan) {
        List<NetworkPolicyPeer> management = new ArrayList<>();
        management.add(new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector().addToMatchLabels(FleetNames.NAMESPACE_NAME_LABEL, plan.operatorNamespace()).endNamespaceSelector()
                .withNewPodSelector().withMatchLabels(FleetNames.OPERATOR_POD_LABELS).endPodSelector()
                .build());
        LabelSelector metrics = registry.getSpec().networkPolicyOrDefault().metricsNamespaceSelector;
        if (metrics != null) {
            management.add(new NetworkPolicyPeerBuilder().withNamespaceSelector(metrics).build());
        }
        return new NetworkPolicyBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.networkPolicy(registry), REGISTRY))
                .withNewSpec()
                .withPodSelector(registryPods(registry))
                .withPolicyTypes("Ingress")
                .addNewIngress().addNewPort().withPort(new IntOrString(PodContract.HTTP_PORT)).withProtocol("TCP").endPort().endIngress()
                .addNewIngress().addNewPort().withPort(new IntOrString(PodContract.MANAGEMENT_PORT)).withProtocol("TCP").endPort()
                .withFrom(management).endIngress()
                .endSpec()
                .build();
    }

    /** The runtime's non-secret settings, read as env by the registry pods and the migration Job. */
    public static ConfigMap runtimeConfigMap(Registry registry) {
        return new ConfigMapBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.runtimeConfigMap(registry), REGISTRY))
                .withData(RuntimeSettings.of(registry))
                .build();
    }

    /** A fresh random bearer token for the pod agents (created once: the dependent never updates it). */
    public static Secret agentTokenSecret(Registry registry) {
        byte[] token = new byte[32];
        RANDOM.nextBytes(token);
        return new SecretBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.agentTokenSecret(registry), "agent-token"))
                .withType("Opaque")
                .withStringData(Map.of(PodContract.AGENT_TOKEN_KEY, HexFormat.of().formatHex(token)))
                .build();
    }
}
