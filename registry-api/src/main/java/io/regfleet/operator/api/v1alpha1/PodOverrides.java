package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;

import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_EMPTY)
public class PodOverrides {
    @JsonPropertyDescription("Node labels the registry pods must match.")
    public Map<String, String> nodeSelector;

    @JsonPropertyDescription("Tolerations of the registry pods.")
    public List<Toleration> tolerations;

    @JsonPropertyDescription("Affinity of the registry pods.")
    public Affinity affinity;

    @JsonPropertyDescription("Topology spread of the registry pods; default: spread across nodes (ScheduleAnyway).")
    public List<TopologySpreadConstraint> topologySpreadConstraints;

    @JsonPropertyDescription("Extra labels on the registry pods (the operator's selector labels win).")
    public Map<String, String> labels;

    @JsonPropertyDescription("Extra annotations on the registry pods.")
    public Map<String, String> annotations;

    @JsonPropertyDescription("Extra environment variables of the registry and migration containers, e.g. JAVA_TOOL_OPTIONS or further regfleet.* settings. A variable the operator sets itself (the pod contract: REGFLEET_DB_HOST, REGFLEET_POOL_MAX_SIZE, ...) is refused: the Registry reports Ready=False with reason InvalidSpec.")
    public List<EnvVar> env;

    @JsonPropertyDescription("Extra environment from ConfigMaps or Secrets. The operator's own settings take precedence over any key found here.")
    public List<EnvFromSource> envFrom;

    @JsonPropertyDescription("PriorityClass of the registry pods.")
    public String priorityClassName;
}
