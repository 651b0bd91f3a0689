package io.regfleet.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;

import java.util.Map;

/** What the operator adds for the Prometheus Operator and Grafana, where the Prometheus Operator's CRDs are installed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MonitoringSpec {
    @JsonPropertyDescription("A PrometheusRule with this Registry's alerts (each with a runbook_url), named <name>-alerts.")
    @Default("true")
    public Boolean alerts = true;

    @JsonPropertyDescription("A ConfigMap with this Registry's Grafana dashboard, named <name>-dashboard and labelled grafana_dashboard: \"1\" for Grafana's dashboard sidecar.")
    @Default("true")
    public Boolean dashboard = true;

    @JsonPropertyDescription("Labels added to the PrometheusRule and the dashboard ConfigMap, e.g. the one a Prometheus' ruleSelector picks (release: prometheus).")
    public Map<String, String> labels;

    public boolean alertsActive() {
        return !Boolean.FALSE.equals(alerts);
    }

    public boolean dashboardActive() {
        return !Boolean.FALSE.equals(dashboard);
    }
}
