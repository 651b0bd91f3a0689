package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds the next list of conditions from the previous one: a condition whose status did not change keeps its
 * lastTransitionTime (as metav1.Condition requires).
 */
public final class StatusConditions {
    private final Map<String, Condition> previous = new LinkedHashMap<>();
    private final Map<String, Condition> next = new LinkedHashMap<>();
    private final long generation;
    private final String now;

    public StatusConditions(List<Condition> previous, Long generation, Instant now) {
        if (previous != null) {
            previous.forEach(c -> this.previous.put(c.getType(), c));
        }
        this.generation = generation == null ? 0 : generation;
        this.now = now.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    public StatusConditions set(String type, String status, String reason, String message) {
        Condition old = previous.get(type);
        String transition = old != null && Objects.equals(old.getStatus(), status) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : now;
        next.put(type, new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message == null ? "" : message)
                .withObservedGeneration(generation)
                .withLastTransitionTime(transition)
                .build());
        return this;
    }

    /** The condition no longer applies (what it reported is not configured any more): it leaves the list. */
    public StatusConditions remove(String type) {
        previous.remove(type);
        next.remove(type);
        return this;
    }

    public boolean hasReason(String type, String reason) {
        Condition c = next.get(type);
        return c != null && reason.equals(c.getReason());
    }

    public boolean isTrue(String type) {
        Condition c = next.get(type);
        return c != null && "True".equals(c.getStatus());
    }

    /** The new conditions; types not set this time are carried over unchanged. */
    public List<Condition> toList() {
        Map<String, Condition> merged = new LinkedHashMap<>(previous);
        merged.putAll(next);
        return new ArrayList<>(merged.values());
    }
}
