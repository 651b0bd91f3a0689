package io.regfleet.control.share;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Registries an owner knows only from what it recorded before it restarted (the operator: each Registry's
 * {@code status.share}): until a Registry joins again, the server counts it at what it recorded, since its pods may
 * hold that much without asking anyone. One that is gone stays counted until its pods have drained.
 */
final class RecordedShares {
    /** @param until when it stops being counted (it left); null while it may still join */
    private record Recorded(String applicationName, long counted, Instant until) {
        long countedOn(ServerSnapshot snapshot) {
            return Math.max(counted, snapshot.registryConnections().getOrDefault(applicationName, 0));
        }
    }

    private final Map<String, Recorded> byRegistry = new LinkedHashMap<>();

    synchronized void record(String registry, String applicationName, long counted) {
        byRegistry.put(registry, new Recorded(applicationName, counted, null));
    }

    /** What the Registry recorded, reserve included (-1: nothing); it is no longer counted here from now on. */
    synchronized long take(String registry) {
        Recorded r = byRegistry.remove(registry);
        return r == null ? -1 : r.counted();
    }

    /** The Registry is gone: counted until {@code until}, then dropped. */
    synchronized void leave(String registry, Instant until) {
        Recorded r = byRegistry.get(registry);
        if (r != null && r.until() == null) {
            byRegistry.put(registry, new Recorded(r.applicationName(), r.counted(), until));
        }
    }

    synchronized void expire(Instant now) {
        byRegistry.values().removeIf(r -> r.until() != null && !now.isBefore(r.until()));
    }

    synchronized List<String> applicationNames() {
        return byRegistry.values().stream().map(Recorded::applicationName).toList();
    }

    /** What they are counted at together: what each recorded, or the connections it holds now if more. */
    synchronized long counted(ServerSnapshot snapshot) {
        return byRegistry.values().stream().mapToLong(r -> r.countedOn(snapshot)).sum();
    }

    /** {@code team-b/reg: recorded 20, until it reports again}: how verdicts name them. */
    synchronized String describe(ServerSnapshot snapshot) {
        return byRegistry.entrySet().stream().map(e -> "%s: recorded %d%s".formatted(e.getKey(), e.getValue().countedOn(snapshot),
                e.getValue().until() == null ? " until it reports again" : " (gone, until " + e.getValue().until() + ")"))
                .collect(Collectors.joining("; "));
    }
}
