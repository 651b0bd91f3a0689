package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

import java.util.List;

/** The desired registry fleet. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegistrySpec {
    @JsonPropertyDescription("Container image of the registry runtime; absent: the runtime image of the operator's own version (status.image), so an operator upgrade upgrades the pods. A new image runs the schema migration Job before any new pod serves.")
    public String image;

    @JsonPropertyDescription("Secrets in this namespace with the credentials to pull the image (kubernetes.io/dockerconfigjson), for the registry pods and the migration Job.")
    public List<LocalObjectReference> imagePullSecrets;

    @JsonPropertyDescription("The ServiceAccount the operator makes for the registry pods (named like the Registry): annotations for a cloud identity, e.g. eks.amazonaws.com/role-arn for IRSA. The pods mount no API token.")
    public ServiceAccountSpec serviceAccount;

    @JsonPropertyDescription("The NetworkPolicy of the registry pods: the registry API open to all, the management port (pod agent, metrics) to the operator and the namespaces named here.")
    @Default("{}")
    public NetworkPolicySpec networkPolicy = new NetworkPolicySpec();

    @JsonPropertyDescription("Number of registry pods when autoscaling is not set. The operator lowers it when the connection budget cannot fit every pod at its per-pod minimum.")
    @SpecReplicas
    @Min(0)
    @Default("2")
    public Integer replicas = 2;

    @JsonPropertyDescription("Horizontal autoscaling on CPU. When set, replicas is ignored and the autoscaler's maximum is capped by the connection budget.")
    @ValidationRule(value = "self.minReplicas <= self.maxReplicas", message = "minReplicas must not exceed maxReplicas")
    public AutoscalingSpec autoscaling;

    @JsonPropertyDescription("CPU and memory requests and limits of each registry container.")
    public ResourceRequirements resources;

    @JsonPropertyDescription("Where blobs are stored: exactly one of s3 or filesystem.")
    @Required
    public StorageSpec storage;

    @JsonPropertyDescription("The PostgreSQL database that holds the registry metadata, and how much of it the fleet may use.")
    @Required
    public DatabaseSpec database;

    @JsonPropertyDescription("Bounds of each pod's database pool maximum.")
    @ValidationRule(value = "self.minimum <= self.maximum", message = "connectionsPerPod.minimum must not exceed maximum")
    @Default("{}")
    public ConnectionsPerPodSpec connectionsPerPod = new ConnectionsPerPodSpec();

    @JsonPropertyDescription("Sharing of the connection budget by demand while the pods run.")
    @Default("{}")
    public RebalancingSpec rebalancing = new RebalancingSpec();

    @JsonPropertyDescription("Bounds of each pod's request worker limit.")
    @ValidationRule(value = "self.minimum <= self.maximum", message = "workers.minimum must not exceed maximum")
    @Default("{}")
    public WorkersSpec workers = new WorkersSpec();

    @JsonPropertyDescription("Scheduling and metadata overrides for the registry pods.")
    public PodOverrides pod;

    @JsonPropertyDescription("Alerts (PrometheusRule) and a Grafana dashboard (ConfigMap) for this Registry, made where the Prometheus Operator's CRDs are installed.")
    @Default("{}")
    public MonitoringSpec monitoring = new MonitoringSpec();

    @JsonPropertyDescription("Access control of the registry API (the Docker/OCI token flow). Absent: the API is open to anyone who can reach it.")
    public AuthSpec auth;

    @JsonPropertyDescription("HTTPS on the registry API, from a certificate Secret or a cert-manager issuer. Absent: plain HTTP.")
    public TlsSpec tls;

    @JsonPropertyDescription("Online garbage collection of unreferenced blobs and manifests.")
    public GarbageCollectionSpec gc;

    @JsonPropertyDescription("Tag retention by count and age, and immutable tags.")
    public RetentionSpec retention;

    @JsonPropertyDescription("How the registry pods log: JSON lines by default.")
    @Default("{}")
    public LoggingSpec logging = new LoggingSpec();

    @JsonPropertyDescription("Serve pulls only: pushes and deletes are refused.")
    @Default("false")
    public Boolean readOnly = false;

    /** The NetworkPolicy settings; their defaults when the field is absent. */
    public NetworkPolicySpec networkPolicyOrDefault() {
        return networkPolicy == null ? new NetworkPolicySpec() : networkPolicy;
    }

    /** The monitoring settings; their defaults when the field is absent. */
    public MonitoringSpec monitoringOrDefault() {
        return monitoring == null ? new MonitoringSpec() : monitoring;
    }

    /** The rebalancing settings; their defaults when the field is absent. */
    public RebalancingSpec rebalancingOrDefault() {
        return rebalancing == null ? new RebalancingSpec() : rebalancing;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }
}
