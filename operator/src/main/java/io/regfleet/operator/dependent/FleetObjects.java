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
import io.regfleet.operator.certmanager.Certificate;
import io.regfleet.operator.certmanager.CertificateSpec;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;
import io.regfleet.operator.plan.RegistryPlan;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The desired state of the smaller objects a Registry gets, each a pure function of the Registry and its plan (the
 * Deployment is {@link RegistryDeployment}, the migration Job {@link SchemaMigration}).
 */
public final class FleetObjects {
    private static final String REGISTRY = "registry";
    private static final SecureRandom RANDOM = new SecureRandom();

    private FleetObjects() {
    }

    /**
     * The registry API (5000: {@code http}, or {@code https} with spec.tls, named and with the appProtocol that tells
     * ingress controllers and meshes how to speak to it) and the management port (9000, plain HTTP: probes, metrics,
     * the pod agent).
     */
    public static Service service(Registry registry) {
        String api = apiPortName(registry);
        return new ServiceBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.service(registry), REGISTRY))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(FleetNames.selectorLabels(registry))
                .withPorts(
                        new ServicePortBuilder().withName(api).withAppProtocol(api).withPort(PodContract.HTTP_PORT)
                                .withTargetPort(new IntOrString(api)).withProtocol("TCP").build(),
                        new ServicePortBuilder().withName("management").withPort(PodContract.MANAGEMENT_PORT)
                                .withTargetPort(new IntOrString("management")).withProtocol("TCP").build())
                .endSpec()
                .build();
    }

    /** The name (and appProtocol) of the registry API's port: https with spec.tls, else http. */
    static String apiPortName(Registry registry) {
        return ServingPod.tls(registry) ? "https" : "http";
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

    /** The rules files of the pods (see {@link RulesFiles}), mounted into every pod of the Registry. */
    public static ConfigMap rulesConfigMap(Registry registry) {
        return new ConfigMapBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.rulesConfigMap(registry), REGISTRY))
                .withData(RulesFiles.of(registry))
                .build();
    }

    /**
     * A fresh ES256 token signing key (EC P-256, PKCS#8 PEM) and its public key as the first key that verifies tokens
     * (created once: the dependent never updates it, so a rotation an admin makes in it stays; see the README).
     */
    public static Secret tokenKeySecret(Registry registry) {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no EC P-256 key generator in this JVM", e);
        }
        return new SecretBuilder()
                .withMetadata(FleetNames.metadata(registry, FleetNames.tokenKeySecret(registry), "token-key"))
                .withType("Opaque")
                .withStringData(Map.of(PodContract.SIGNING_KEY_KEY, pem("PRIVATE KEY", keys.getPrivate().getEncoded()),
                        PodContract.VERIFY_KEYS_KEY, pem("PUBLIC KEY", keys.getPublic().getEncoded())))
                .build();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /**
     * The cert-manager Certificate of spec.tls.issuerRef: the Service's DNS names and spec.tls.dnsNames, into the
     * Secret the pods mount; its private key rotated at every renewal.
     */
    public static Certificate certificate(Registry registry) {
        Certificate certificate = new Certificate();
        certificate.setMetadata(FleetNames.metadata(registry, FleetNames.certificate(registry), REGISTRY));
        var tls = registry.getSpec().tls;
        if (tls == null || tls.issuerRef == null) {
            return certificate; // the dependent only deletes it then, by this name
        }
        List<String> names = new ArrayList<>(FleetNames.serviceDnsNames(registry));
        if (tls.dnsNames != null) {
            tls.dnsNames.stream().filter(n -> !names.contains(n)).forEach(names::add);
        }
        CertificateSpec spec = new CertificateSpec();
        spec.secretName = FleetNames.tlsSecret(registry);
        spec.dnsNames = names;
        spec.issuerRef = new TreeMap<>(Map.of("name", tls.issuerRef.name, "kind", tls.issuerRef.kind, "group", tls.issuerRef.group));
        spec.privateKey = new TreeMap<>(Map.of("algorithm", "ECDSA", "size", 256, "rotationPolicy", "Always"));
        certificate.setSpec(spec);
        return certificate;
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
