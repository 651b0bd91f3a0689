package io.regfleet.control.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.control.rebalance.FleetPod;
import io.regfleet.control.rebalance.PodAgentClient;
import io.regfleet.fleet.Allocation;
import io.regfleet.fleet.AllocationStatus;
import io.regfleet.fleet.CollectorReport;
import io.regfleet.fleet.FleetApi;
import io.regfleet.fleet.PodUsage;
import io.regfleet.fleet.ReplicaReport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** The pod agent over HTTP with a bearer token; a pod that does not answer within the timeout has not answered. */
public final class HttpPodAgentClient implements PodAgentClient {
    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HttpClient http;
    private final Supplier<String> token;
    private final Duration timeout;
    /** The query of usage and allocation calls: empty for the primary's pool, {@code ?replica=...} for a replica's. */
    private final String scope;

    public HttpPodAgentClient(Supplier<String> token, Duration timeout) {
        this(HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build(), token, timeout, "");
    }

    private HttpPodAgentClient(HttpClient http, Supplier<String> token, Duration timeout, String scope) {
        this.http = http;
        this.token = token;
        this.timeout = timeout;
        this.scope = scope;
    }

    /**
     * The same agents, their usage and allocations of one read replica's pool ({@link FleetApi#REPLICA}): what a
     * replica's rebalancer talks to.
     *
     * @param replica its {@code host:port}, as the pods are given it
     */
    public HttpPodAgentClient forReplica(String replica) {
        return new HttpPodAgentClient(http, token, timeout,
                "?" + FleetApi.REPLICA + "=" + URLEncoder.encode(replica, StandardCharsets.UTF_8));
    }

    @Override
    public PodUsage usage(FleetPod pod) throws IOException {
        return send(request(pod, FleetApi.USAGE + scope).GET().build(), PodUsage.class);
    }

    @Override
    public AllocationStatus apply(FleetPod pod, Allocation allocation) throws IOException {
        byte[] body = JSON.writeValueAsBytes(allocation);
        return send(request(pod, FleetApi.ALLOCATION + scope).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), AllocationStatus.class);
    }

    /** The pod's garbage-collector report (not part of {@link PodAgentClient}: the rebalancer does not need it). */
    public CollectorReport collector(FleetPod pod) throws IOException {
        return send(request(pod, FleetApi.COLLECTOR).GET().build(), CollectorReport.class);
    }

    /** Each read replica as the pod sees it (not part of {@link PodAgentClient} either). */
    public List<ReplicaReport> replicas(FleetPod pod) throws IOException {
        return List.of(send(request(pod, FleetApi.REPLICAS).GET().build(), ReplicaReport[].class));
    }

    private HttpRequest.Builder request(FleetPod pod, String path) {
        return HttpRequest.newBuilder(URI.create(pod.agent().toString().replaceAll("/+$", "") + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token.get());
    }

    private <T> T send(HttpRequest request, Class<T> type) throws IOException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(request.uri() + " answered " + response.statusCode());
        }
        return JSON.readValue(response.body(), type);
    }
}
