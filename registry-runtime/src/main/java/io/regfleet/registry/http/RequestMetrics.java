package io.regfleet.registry.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** API request timers by route template, method and status: labels from a closed set, never the raw path. */
@Singleton
class RequestMetrics {
    private record Key(String route, String method, int status) {
    }

    /** Methods the API knows; any other is labelled OTHER, so a client cannot mint label values. */
    private static final Set<HttpMethod> KNOWN = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.PUT, HttpMethod.POST,
            HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.OPTIONS);
    private final MeterRegistry meters;
    /** Built once per key, not on every request. */
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void record(Endpoint endpoint, HttpMethod method, int status, long startedNanos) {
        timers.computeIfAbsent(new Key(endpoint.template(), KNOWN.contains(method) ? method.name() : "OTHER", status), key ->
                        Timer.builder("regfleet.http.server.requests")
                                .description("Registry API requests by route template")
                                .tag("route", key.route())
                                .tag("method", key.method())
                                .tag("status", String.valueOf(key.status()))
                                .publishPercentileHistogram()
                                .register(meters))
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }
}
