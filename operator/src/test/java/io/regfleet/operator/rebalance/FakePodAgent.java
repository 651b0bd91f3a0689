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
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

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
    /** Each read replica's pool ({@code ?replica=host:port}); a replica not here is 404. */
    public final Map<String, ReplicaPool> replicaPools = new ConcurrentHashMap<>();
    /** Orders every allocation any fake agent received, so a test sees which came first. */
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /**
     * One read replica's pool as the agent answers for it: its own maximum, generation and load; the pod's workers.
     *
     * @param awaiting threads waiting for one of its connections
     */
    public static final class ReplicaPool {
        public volatile int poolMax;
        public volatile long generation;
        final int awaiting;
        final double activeMean;
        /** Allocations received, each with its place among every fake agent's ({@link #SEQUENCE}). */
        public final List<Map.Entry<Long, Allocation>> received = new CopyOnWriteArrayList<>();

        public ReplicaPool(int poolMax, int awaiting, double activeMean) {
            this.poolMax = poolMax;
            this.awaiting = awaiting;
            this.activeMean = activeMean;
        }
    }

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
        if (!authorized(exchange)) {
            return;
        }
        String replica = replica(exchange);
        if (replica == null) {
            respond(exchange, usage(generation, poolMax, awaiting, activeMean));
        } else if (replicaPools.containsKey(replica)) {
            ReplicaPool p = replicaPools.get(replica);
            respond(exchange, usage(p.generation, p.poolMax, p.awaiting, p.activeMean));
        } else {
            JsonReplies.send(exchange, 404, "{\"error\":\"no such read replica\"}".getBytes());
        }
    }

    private PodUsage usage(long generation, int poolMax, int awaiting, double activeMean) {
        int active = (int) Math.min(poolMax, Math.ceil(activeMean));
        return new PodUsage(generation, poolMax, active, active, 0, awaiting, active, activeMean, 10, 0.1,
                awaiting > 0 ? 200 : 1, 0, 0, workers, active, 100, 0.2, 2.0, 0, 3);
    }

    /** The {@code replica} query parameter, decoded; null without one. */
    private static String replica(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        String prefix = FleetApi.REPLICA + "=";
        return query == null || !query.startsWith(prefix) ? null
                : URLDecoder.decode(query.substring(prefix.length()), StandardCharsets.UTF_8);
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
        String replica = replica(exchange);
        if (replica != null) {
            replicaAllocation(exchange, replica);
        } else if (authorized(exchange)) {
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

    /** A replica's pool takes its own generations and maximum; the workers stay the pod's. */
    private void replicaAllocation(HttpExchange exchange, String replica) throws IOException {
        ReplicaPool p = replicaPools.get(replica);
        if (!authorized(exchange)) {
            return;
        }
        if (p == null) {
            JsonReplies.send(exchange, 404, "{\"error\":\"no such read replica\"}".getBytes());
            return;
        }
        Allocation a = JSON.readValue(exchange.getRequestBody(), Allocation.class);
        p.received.add(Map.entry(SEQUENCE.incrementAndGet(), a));
        boolean stale = a.generation() < p.generation;
        if (!stale) {
            p.generation = a.generation();
            p.poolMax = a.poolMax();
        }
        respond(exchange, new AllocationStatus(p.generation, p.poolMax, workers, (int) Math.min(p.poolMax, Math.ceil(p.activeMean)), stale));
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
