package io.regfleet.operator.dependent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.Rule;
import io.fabric8.openshift.api.model.monitoring.v1.RuleGroup;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.naming.FleetNames;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The Registry's PrometheusRule and Grafana dashboard, made from config/monitoring as shipped (on the classpath under
 * monitoring/): the same alerts and panels, scoped to this Registry.
 */
public final class MonitoringObjects {
    /** Every selector of the shipped rules carries this matcher: all Registries; a Registry's own rule narrows it. */
    static final String ANY_REGISTRY = "registry!=\"\"";
    static final String DASHBOARD_LABEL = "grafana_dashboard";
    private static final String COMPONENT = "monitoring";
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final ObjectMapper JSON = new ObjectMapper();

    private MonitoringObjects() {
    }

    /** The shipped alerts, every expression narrowed to this Registry's namespace and name. */
    public static PrometheusRule alerts(Registry registry) {
        PrometheusRule rule = SERIALIZATION.unmarshal(resource("regfleet-alerts.yaml"), PrometheusRule.class);
        String scope = "namespace=\"%s\", registry=\"%s\"".formatted(registry.getMetadata().getNamespace(),
                registry.getMetadata().getName());
        for (RuleGroup group : rule.getSpec().getGroups()) {
            for (Rule r : group.getRules()) {
                String expr = r.getExpr().getStrVal();
                if (!expr.contains(ANY_REGISTRY)) {
                    throw new IllegalStateException("alert " + r.getAlert() + " is not scoped by " + ANY_REGISTRY);
                }
                r.setExpr(new IntOrString(expr.replace(ANY_REGISTRY, scope)));
            }
        }
        rule.setMetadata(metadata(registry, FleetNames.alertsRule(registry), Map.of()));
        return rule;
    }

    /** The shipped dashboard as this Registry's own (its uid, title and variables), for Grafana's sidecar. */
    public static ConfigMap dashboard(Registry registry) {
        String namespace = registry.getMetadata().getNamespace();
        String name = registry.getMetadata().getName();
        try (InputStream in = resource("regfleet-dashboard.json")) {
            ObjectNode dashboard = (ObjectNode) JSON.readTree(in);
            dashboard.put("uid", "regfleet-" + FleetNames.sha256(namespace + "/" + name).substring(0, 24));
            dashboard.put("title", "Regfleet " + namespace + "/" + name);
            for (JsonNode variable : dashboard.at("/templating/list")) {
                String value = switch (variable.path("name").asText()) {
                    case "namespace" -> namespace;
                    case "registry" -> name;
                    default -> null;
                };
                if (value != null) {
                    ((ObjectNode) variable).putObject("current").put("text", value).put("value", value);
                }
            }
            return new ConfigMapBuilder()
                    .withMetadata(metadata(registry, FleetNames.dashboardConfigMap(registry), Map.of(DASHBOARD_LABEL, "1")))
                    .addToData("regfleet-" + namespace + "-" + name + ".json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(dashboard))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped dashboard", e);
        }
    }

    private static ObjectMeta metadata(Registry registry, String name, Map<String, String> labels) {
        ObjectMeta meta = FleetNames.metadata(registry, name, COMPONENT);
        Map<String, String> extra = registry.getSpec().monitoringOrDefault().labels;
        if (extra != null) {
            extra.forEach(meta.getLabels()::putIfAbsent);
        }
        meta.getLabels().putAll(labels);
        return meta;
    }

    private static InputStream resource(String file) {
        InputStream in = MonitoringObjects.class.getResourceAsStream("/monitoring/" + file);
        if (in == null) {
            throw new IllegalStateException("monitoring/" + file + " is not on the classpath");
        }
        return in;
    }
}
