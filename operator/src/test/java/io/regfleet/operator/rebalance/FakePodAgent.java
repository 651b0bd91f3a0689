package io.regfleet.operator.rebalance;

import io.regfleet.dev.JsonReplies;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.regfleet.dev.FreePorts;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.CollectorReport;
import io.regfleet.fleet.FleetApi;
import io.regfleet.fleet.PodUsage;
import io.regfleet.fleet.ReplicaReport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pod agent that answers the fleet API from fixed load figures, so the operator's side can be tested without
 * registry pods. The real agent (registry-runtime) is exercised by the end-to-end suite.
 */
public final class FakePodAgent implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String token;
    private final int awaiting;
    private final double activeMean;
    volatile int poolMax;
    volatile int workers;
    volatile long generation;
    final List<Allocation> received = new CopyOnWriteArrayList<>();
    /** What {@code GET /fleet/collector} answers. */
    volatile CollectorReport collector = new CollectorReport(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    /** What {@code GET /fleet/replicas} answers. */
    public volatile List<ReplicaReport> replicas = List.of();
    volatile int unauthorized;

    /** @param awaiting threads waiting for a connection (a starved pod), 0 for an idle one */
    public FakePodAgent(String token, int poolMax, int workers, int awaiting, double activeMean) throws IOException {
        this.token = token;
        this.poolMax = poolMax;
        this.workers = workers;
        this.awaiting = awaiting;
        this.activeMean = activeMean;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 0);
        server.createContext(FleetApi.USAGE, this::usage);
        server.createContext(FleetApi.ALLOCATION, this::allocation);
        server.createContext(FleetApi.COLLECTOR, this::collector);
        server.createContext(FleetApi.REPLICAS, this::replicas);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void usage(HttpExchange exchange) throws IOException {
        if (authorized(exchange)) {
            int active = (int) Math.min(poolMax, Math.ceil(activeMean));
            respond(exchange, new PodUsage(generation, poolMax, active, active, 0, awaiting, active, activeMean, 10, 0.1,
                    awaiting > 0 ? 200 : 1, 0, 0, workers, active, 100, 0.2, 2.0, 0, 3));
        }
    }

    private void collector(HttpExchange exchange) throws IOException {
        if (authorized(exchange)) {
            respond(exchange, collector);
        }
    }

    private void replicas(HttpExchange exchange) throws IOException {
        if (authorized(exchange)) {
            respond(exchange, replicas);
        }
    }

    /** Calls refused for a wrong or missing agent token. */
    public int unauthorized() {
        return unauthorized;
    }

    private void allocation(HttpExchange exchange) throws IOException {
        if (authorized(exchange)) {
            Allocation a = JSON.readValue(exchange.getRequestBody(), Allocation.class);
            received.add(a);
            boolean stale = a.generation() < generation;
            if (!stale) {
                generation = a.generation();
                poolMax = a.poolMax();
                workers = a.workers();
            }
            int open = (int) Math.min(poolMax, Math.ceil(activeMean));
            respond(exchange, new AllocationStatus(generation, poolMax, workers, open, stale));
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            unauthorized++;
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
            return false;
        }
        return true;
    }

    private static void respond(HttpExchange exchange, Object body) throws IOException {
        JsonReplies.send(exchange, 200, JSON.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
