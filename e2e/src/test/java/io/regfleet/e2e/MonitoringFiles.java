package io.regfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The dashboard and the alert rules as shipped in config/monitoring, read as Grafana and Prometheus read them. */
final class MonitoringFiles {
    static final Path DIR = Path.of(System.getProperty("regfleet.repo.dir", "..")).resolve("config/monitoring");
    static final Path DASHBOARD = DIR.resolve("regfleet-dashboard.json");
    static final Path ALERTS = DIR.resolve("regfleet-alerts.yaml");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Pattern METRIC = Pattern.compile("\\b((?:regfleet|agroal)_[a-z0-9_]+)\\b");

    record Query(String panel, String expr) {
    }

    record Alert(String name, String expr) {
        /** Every metric the expression reads. */
        List<String> metrics() {
            List<String> names = new ArrayList<>();
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                if (!names.contains(m.group(1))) {
                    names.add(m.group(1));
                }
            }
            return names;
        }
    }

    private MonitoringFiles() {
    }

    /** Every panel's every query, with Grafana's variables as given ({@code $namespace}, {@code $__rate_interval}, ...). */
    static List<Query> dashboardQueries(Map<String, String> variables) throws IOException {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : new ObjectMapper().readTree(DASHBOARD.toFile()).get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.get("expr").asText();
                for (var v : variables.entrySet()) {
                    expr = expr.replace("$" + v.getKey(), v.getValue());
                }
                queries.add(new Query(panel.get("title").asText() + " / " + target.get("legendFormat").asText(), expr));
            }
        }
        return queries;
    }

    static List<Alert> alerts() throws IOException {
        List<Alert> alerts = new ArrayList<>();
        for (JsonNode group : YAML.readTree(ALERTS.toFile()).at("/spec/groups")) {
            for (JsonNode rule : group.get("rules")) {
                alerts.add(new Alert(rule.get("alert").asText(), rule.get("expr").asText().strip()));
            }
        }
        return alerts;
    }

    /**
     * The PrometheusRule's groups as a Prometheus rule file; {@code for} set to {@code pendingFor} so that a test sees an
     * alert fire in seconds (the expressions are the shipped ones).
     */
    static Path ruleFile(Path dir, String pendingFor) throws IOException {
        JsonNode groups = YAML.readTree(ALERTS.toFile()).get("spec").deepCopy();
        if (pendingFor != null) {
            for (JsonNode group : groups.get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                    if (rule.has("for")) {
                        ((ObjectNode) rule).put("for", pendingFor);
                    }
                }
            }
        }
        Path file = dir.resolve(pendingFor == null ? "rules.yaml" : "rules-short.yaml");
        Files.writeString(file, YAML.writeValueAsString(groups));
        return file;
    }
}
