package io.regfleet.fleet.local;

import io.regfleet.dev.RegistryProcess;
import io.regfleet.fleet.PodSetting;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The fleet's registry JVMs, named {@code replica-1}, {@code replica-2}, ... in the order they start, each with the
 * properties every replica shares plus its own pod name and the pool and workers it starts with (the plan's floor at
 * that moment: a replica restarted after its fleet's share fell starts at the lower floor), its log in the fleet's
 * logs folder.
 */
final class ReplicaSet {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Map<String, String> properties;
    private final Supplier<Map<String, String>> starting;
    private final Path logs;
    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final Set<String> paused = ConcurrentHashMap.newKeySet();
    private int nextIndex = 1;

    ReplicaSet(Map<String, String> properties, Supplier<Map<String, String>> starting, Path logs) {
        this.properties = Map.copyOf(properties);
        this.starting = starting;
        this.logs = logs;
    }

    /** Builds and starts (does not wait for) the next replica, registered under its name. */
    synchronized Replica start() {
        String name = "replica-" + nextIndex++;
        Replica replica = new Replica(name, process(name).log(logs.resolve(name + ".log")).build().start());
        replicas.put(name, replica);
        return replica;
    }

    private RegistryProcess.Builder process(String name) {
        return RegistryProcess.builder().properties(properties).properties(starting.get())
                .property(PodSetting.POD_NAME.property(), name);
    }

    /** Starts the next replica and waits until it is ready; one that does not get there is killed and forgotten. */
    Replica startReady() {
        Replica replica = start();
        try {
            awaitReady(List.of(replica));
        } catch (RuntimeException e) {
            replica.process().kill();
            synchronized (this) {
                replicas.remove(replica.name());
            }
            throw e;
        }
        return replica;
    }

    /** The properties every replica starts with (the JDBC URL, storage, pool and agent settings). */
    Map<String, String> properties() {
        return properties;
    }

    synchronized List<Replica> all() {
        return List.copyOf(replicas.values());
    }

    synchronized Replica get(String name) {
        Replica replica = replicas.get(name);
        if (replica == null) {
            throw new NoSuchElementException("no replica " + name + "; the fleet has " + replicas.keySet());
        }
        return replica;
    }

    void kill(String name) {
        get(name).process().kill();
    }

    /** Stops (if running) and starts the replica again, same ports and settings, at the plan's floor now. */
    void restart(String name) {
        Replica old = get(name);
        if (paused.remove(name)) {
            old.process().resume();
        }
        old.process().stop();
        RegistryProcess process = process(name).port(old.process().port()).managementPort(old.process().managementPort())
                .log(old.process().log()).build();
        synchronized (this) {
            replicas.put(name, new Replica(name, process));
        }
        process.start().awaitReady(READY_TIMEOUT);
    }

    void pause(String name) {
        get(name).process().pause();
        paused.add(name);
    }

    void resume(String name) {
        get(name).process().resume();
        paused.remove(name);
    }

    /** Stops every replica at once (a paused one is resumed first: a stopped process cannot handle SIGTERM). */
    void stopAll() {
        try (ExecutorService stops = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Replica r : all()) {
                stops.submit(() -> {
                    if (paused.remove(r.name())) {
                        r.process().resume();
                    }
                    r.process().stop();
                });
            }
        }
    }

    static void awaitReady(List<Replica> starting) {
        try (ExecutorService waits = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> ready = starting.stream()
                    .<Future<?>>map(r -> waits.submit(() -> r.process().awaitReady(READY_TIMEOUT)))
                    .toList();
            for (Future<?> f : ready) {
                f.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replicas started", e);
        }
    }
}
