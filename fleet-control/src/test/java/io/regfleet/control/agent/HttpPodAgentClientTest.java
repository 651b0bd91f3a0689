package io.regfleet.control.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.FleetApi;
import io.regfleet.fleet.PodUsage;
import io.regfleet.fleet.ReplicaReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The agent protocol as running pods speak it (the README's example bodies), over real HTTP. */
class HttpPodAgentClientTest {
    private static final String USAGE = """
            {"generation":3,"poolMax":6,"open":4,"active":2,"idle":2,"awaiting":0,"activePeak":5,"activeMean":1.7,
             "windowSeconds":10.4,"acquireWaitP50Ms":0.01,"acquireWaitP99Ms":0.3,"acquireTimeoutsTotal":0,"shedTotal":0,
             "workers":16,"inFlight":1,"requestsPerSecond":812.0,"cpuUsage":0.9,"cpuLimit":2.0,
             "workersQueued":0,"workP99Ms":1.2,"addedLater":true}""";
    private static final String REPLICAS = """
            [{"replica":"r1.db:5432","serving":true,"reason":"Serving","lagSeconds":0.2,"poolMax":4,"open":2,"readsTotal":90,
              "addedLater":1},
             {"replica":"r2.db:5433","serving":false,"reason":"Lagging","lagSeconds":7.5,"poolMax":4,"open":0,"readsTotal":3}]""";
    private static final String APPLIED = "{\"generation\":4,\"poolMax\":2,\"workers\":8,\"open\":3,\"stale\":false}";

    private final List<String> requests = new ArrayList<>();
    private HttpServer server;
    private FleetPod pod;

    @BeforeEach
    void startAgent() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(FleetApi.USAGE, exchange -> answer(exchange, USAGE));
        server.createContext(FleetApi.ALLOCATION, exchange -> answer(exchange, APPLIED));
        server.createContext(FleetApi.REPLICAS, exchange -> answer(exchange, REPLICAS));
        server.start();
        pod = new FleetPod("p", URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"), false);
    }

    @AfterEach
    void stopAgent() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange, String body) throws IOException {
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        String query = exchange.getRequestURI().getRawQuery();
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + (query == null ? "" : "?" + query) + " "
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders("Bearer secret".equals(auth) ? 200 : 401, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void readsTheWireNamesIntoTheirJavaNames() throws IOException {
        PodUsage usage = new HttpPodAgentClient(() -> "secret", Duration.ofSeconds(2)).usage(pod);
        assertEquals(6, usage.appliedPoolMax(), "poolMax on the wire is the applied pool maximum");
        assertEquals(16, usage.workers());
        assertEquals(812.0, usage.requestsPerSecond());
    }

    @Test
    void sendsAnAllocationAsTheAgentExpectsIt() throws IOException {
        AllocationStatus status = new HttpPodAgentClient(() -> "secret", Duration.ofSeconds(2)).apply(pod, new Allocation(4, 2, 8));
        assertEquals(new AllocationStatus(4, 2, 8, 3, false), status);
        assertEquals("PUT /fleet/allocation {\"generation\":4,\"poolMax\":2,\"workers\":8}", requests.getLast());
    }

    @Test
    void aReplicaScopedClientNamesTheReplicaOnUsageAndAllocation() throws IOException {
        var replica = new HttpPodAgentClient(() -> "secret", Duration.ofSeconds(2)).forReplica("r1.db:5432");
        assertEquals(6, replica.usage(pod).appliedPoolMax());
        assertEquals("GET /fleet/usage?replica=r1.db%3A5432 ", requests.getLast());
        replica.apply(pod, new Allocation(4, 2, 8));
        assertEquals("PUT /fleet/allocation?replica=r1.db%3A5432 {\"generation\":4,\"poolMax\":2,\"workers\":8}", requests.getLast());
    }

    @Test
    void readsEachReplicaAsThePodSeesIt() throws IOException {
        List<ReplicaReport> replicas = new HttpPodAgentClient(() -> "secret", Duration.ofSeconds(2)).replicas(pod);
        assertEquals(List.of(new ReplicaReport("r1.db:5432", true, ReplicaReport.SERVING, 0.2, 4, 2, 90),
                new ReplicaReport("r2.db:5433", false, ReplicaReport.LAGGING, 7.5, 4, 0, 3)), replicas);
        assertEquals("GET /fleet/replicas ", requests.getLast());
    }

    @Test
    void aRefusedTokenIsNoAnswer() {
        assertThrows(IOException.class, () -> new HttpPodAgentClient(() -> "wrong", Duration.ofSeconds(2)).usage(pod));
    }
}
