package io.regfleet.e2e;

import io.regfleet.dev.oci.ClientCommand;
import io.regfleet.fleet.local.FleetMetricsEndpoint;
import io.regfleet.fleet.local.FleetOptions;
import io.regfleet.fleet.local.LocalFleet;
import io.regfleet.fleet.local.Replica;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every panel and alert of config/monitoring is real: a real Prometheus scrapes a local fleet under load (each
 * replica's /q/metrics with the labels a ServiceMonitor gives a pod, and the operator's meters of the fleet from
 * {@link FleetMetricsEndpoint}), evaluates the shipped rules, and every dashboard query returns series; every alert
 * expression is evaluated, and every metric it reads has series; the budget alert fires on a budget set too small.
 */
class PrometheusMonitoringTest {
    /** What this budget alert watches: a fleet that needs more than 90% of what it may hold. */
    private static final String FIRING = "RegfleetBudgetNearlyCommitted";
    /** Exported by the operator's reconciler from a Registry's conditions: a local fleet has no Registry resource. */
    private static final Set<String> OPERATOR_ONLY = Set.of("regfleet_operator_condition");
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @Test
    void everyPanelAndAlertReturnsSeriesAndTheBudgetAlertFires(@TempDir Path dir) throws Exception {
        Path shippedRules = MonitoringFiles.ruleFile(dir, null);
        // fails with promtool's output unless it exits 0
        String checked = ClientCommand.run(dir, List.of("promtool", "check", "rules", shippedRules.toString()),
                "apt-get install -y prometheus");
        System.out.println("promtool check rules: " + checked);
        assertTrue(checked.contains("SUCCESS"), checked);

        // a budget set too small: 2 replicas on a PostgreSQL of 16 connections, 24 clients on a 5 ms database hop
        FleetOptions options = FleetOptions.defaults().withReplicas(2, 2).withMaxConnections(16)
                .withTiming(INTERVAL, INTERVAL).withDatabaseLatency(Duration.ofMillis(5))
                .withExtraProperties(Map.of("quarkus.log.level", "WARN"));
        try (LocalFleet fleet = LocalFleet.start(options);
             FleetMetricsEndpoint operator = FleetMetricsEndpoint.start(0)) {
            operator.watch(fleet);
            String manifest = Fleets.pushImage(fleet.front().toString());
            String blob = fleet.front() + "/v2/" + Fleets.REPO + "/blobs/" + configDigest(fleet.front() + manifest);
            Path config = prometheusConfig(dir, fleet, operator, MonitoringFiles.ruleFile(dir, "1s"));
            try (PrometheusServer prometheus = PrometheusServer.start(config, dir);
                 // the database work that makes the budget alert fire (manifest pulls are answered from memory)
                 LoadGenerator reads = new LoadGenerator(24, () -> fleet.front() + Fleets.DATABASE_READ);
                 LoadGenerator pulls = new LoadGenerator(2, () -> fleet.front() + manifest);
                 LoadGenerator blobs = new LoadGenerator(2, () -> blob);
                 LoadGenerator missing = new LoadGenerator(1, () -> fleet.front() + "/v2/" + Fleets.REPO + "/manifests/absent")) {
                awaitFiring(prometheus);
                // a rate needs two scrapes of a series in its window: a series born just before the alert fired
                // may have had one, so each query gets until this deadline to return series
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                List<String> failures = new ArrayList<>();
                System.out.println("dashboard panels (series returned):");
                for (MonitoringFiles.Query q : MonitoringFiles.dashboardQueries(Map.of(
                        "namespace", FleetMetricsEndpoint.NAMESPACE, "registry", fleet.registry(), "__rate_interval", "30s"))) {
                    int series = seriesBy(prometheus, q.expr(), deadline);
                    System.out.printf("  %-70s %3d series%n", q.panel(), series);
                    if (series == 0) {
                        failures.add("panel " + q.panel() + ": " + q.expr());
                    }
                }
                System.out.println("alerts (series the expression returns; then each metric it reads):");
                for (MonitoringFiles.Alert alert : MonitoringFiles.alerts()) {
                    int series = prometheus.query(alert.expr()).size();
                    StringBuilder line = new StringBuilder("  %-32s %3d series".formatted(alert.name(), series));
                    for (String metric : alert.metrics()) {
                        int metricSeries = seriesBy(prometheus, "{__name__=\"" + metric + "\"}",
                                OPERATOR_ONLY.contains(metric) ? System.nanoTime() : deadline);
                        line.append("; ").append(metric).append(' ').append(metricSeries);
                        if (metricSeries == 0 && OPERATOR_ONLY.contains(metric)) {
                            line.append(" (operator only)");
                        } else if (metricSeries == 0) {
                            failures.add("alert " + alert.name() + " reads " + metric + ", which has no series");
                        }
                    }
                    System.out.println(line);
                }
                assertTrue(failures.isEmpty(), String.join("\n", failures) + "\ntargets: " + prometheus.targets());
                assertTrue(pulls.count(200) > 0 && missing.count(404) > 0 && blobs.count(200) > 0, "the load ran");
            }
        }
    }

    /** Polls the firing alert (an evaluation every second, a pending period of one): fails after a minute. */
    private static void awaitFiring(PrometheusServer prometheus) throws InterruptedException {
        String query = "ALERTS{alertname=\"" + FIRING + "\", alertstate=\"firing\"}";
        assertTrue(seriesBy(prometheus, query, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)) > 0,
                () -> FIRING + " did not fire within a minute; needed "
                        + prometheus.query("regfleet_operator_connections_needed") + ", available "
                        + prometheus.query("regfleet_operator_connections_available") + "; targets " + prometheus.targets());
        System.out.println("firing: " + prometheus.query(query));
    }

    /** How many series {@code expr} returns, asked every 500 ms until it returns some or the deadline passes. */
    private static int seriesBy(PrometheusServer prometheus, String expr, long deadline) throws InterruptedException {
        int series = prometheus.query(expr).size();
        while (series == 0 && System.nanoTime() < deadline) {
            Thread.sleep(500);
            series = prometheus.query(expr).size();
        }
        return series;
    }

    private static String configDigest(String manifestUrl) throws Exception {
        String body = new String(Http.send("GET", manifestUrl, null, "Accept", "application/vnd.oci.image.manifest.v1+json").body());
        int at = body.indexOf("sha256:");
        return body.substring(at, at + 71);
    }

    /** Scrapes every second: each replica as a pod of the Registry, and the operator's meters with their own labels. */
    private static Path prometheusConfig(Path dir, LocalFleet fleet, FleetMetricsEndpoint operator, Path rules) throws Exception {
        StringBuilder yaml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: ["%s"]
                scrape_configs:
                - job_name: regfleet-operator
                  honor_labels: true
                  metrics_path: %s
                  static_configs:
                  - targets: ["%s"]
                - job_name: registry
                  metrics_path: /q/metrics
                  static_configs:
                """.formatted(rules, operator.uri().getPath(), operator.uri().getAuthority()));
        for (Replica replica : fleet.replicas()) {
            yaml.append("""
                      - targets: ["%s"]
                        labels: {namespace: "%s", registry: "%s", pod: "%s"}
                    """.formatted(replica.management().getAuthority(), FleetMetricsEndpoint.NAMESPACE, fleet.registry(),
                    replica.name()));
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, yaml);
        return config;
    }
}
