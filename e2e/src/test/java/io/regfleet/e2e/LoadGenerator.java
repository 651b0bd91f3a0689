package io.regfleet.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Bounded load on loopback: a fixed number of clients, each pulling a manifest in a loop from the URL the supplier
 * gives (replicas come and go), counting responses by status and measuring how long failures took.
 */
public final class LoadGenerator implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder connectErrors = new LongAdder();
    private final AtomicLong slowest503Nanos = new AtomicLong();
    private final LongAdder missingRetryAfter = new LongAdder();
    private final List<Thread> clients = new ArrayList<>();

    public LoadGenerator(int clientCount, Supplier<String> manifestUrl) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; i < clientCount; i++) {
            clients.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                while (running.get()) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(manifestUrl.get()))
                                .timeout(Duration.ofSeconds(10))
                                .header("Accept", "application/vnd.oci.image.manifest.v1+json").build(),
                                HttpResponse.BodyHandlers.discarding());
                        statuses.computeIfAbsent(r.statusCode(), k -> new LongAdder()).increment();
                        if (r.statusCode() == 503) {
                            slowest503Nanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                            if (r.headers().firstValue("Retry-After").isEmpty()) {
                                missingRetryAfter.increment();
                            }
                        }
                    } catch (Exception e) {
                        connectErrors.increment(); // a killed replica: the connection is refused or reset
                        pause();
                    }
                }
            }));
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long count(int status) {
        LongAdder a = statuses.get(status);
        return a == null ? 0 : a.sum();
    }

    public Map<Integer, Long> statuses() {
        Map<Integer, Long> copy = new java.util.TreeMap<>();
        statuses.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public long connectErrors() {
        return connectErrors.sum();
    }

    long slowest503Millis() {
        return slowest503Nanos.get() / 1_000_000;
    }

    long missingRetryAfter() {
        return missingRetryAfter.sum();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : clients) {
            t.join(15_000);
        }
    }
}
