package io.regfleet.fleet.local;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import io.regfleet.control.metrics.BudgetMetrics;
import io.regfleet.control.metrics.RebalanceMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the operator exports about its Registries, for local fleets: the same meters ({@link RebalanceMetrics},
 * {@link BudgetMetrics}) on {@code http://127.0.0.1:<port>/metrics}, with namespace {@value #NAMESPACE}, so the
 * dashboard and the alerts of config/monitoring read a local fleet as they read a cluster.
 */
public final class FleetMetricsEndpoint implements AutoCloseable {
    public static final String NAMESPACE = "local";

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> watched = new ArrayList<>();
    private final HttpServer server;

    private FleetMetricsEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Serves on 127.0.0.1:{@code port} (0: a free port). */
    public static FleetMetricsEndpoint start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            FleetMetricsEndpoint endpoint = new FleetMetricsEndpoint(server);
            server.createContext("/metrics", exchange -> {
                byte[] body = endpoint.meters.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return endpoint;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the fleet's metrics on port " + port, e);
        }
    }

    /** Records the fleet's rounds and, with each, the budget of its plan then. */
    public synchronized void watch(LocalFleet fleet) {
        RebalanceMetrics rebalance = new RebalanceMetrics(meters, NAMESPACE, fleet.registry());
        BudgetMetrics budget = new BudgetMetrics(meters, NAMESPACE, fleet.registry());
        budget.record(fleet.plan().budget());
        fleet.addListener(report -> {
            budget.record(fleet.plan().budget());
            rebalance.rebalanced(report);
        });
        watched.add(rebalance);
        watched.add(budget);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
    }

    @Override
    public synchronized void close() {
        server.stop(0);
        Closer.closeAll(watched.toArray(AutoCloseable[]::new));
    }
}
