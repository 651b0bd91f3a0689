package io.regfleet.e2e.k3s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Registry's status read by JSON path, not through the operator's classes: the test compiles against any
 * operator version and reads fields (status.allocations) that only the rebalancer writes.
 */
record RegistryStatusView(boolean ready, OptionalInt available, OptionalInt perPodFloor, List<Allocation> allocations,
                          String raw) {
    record Allocation(String pod, int poolMaxSize) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static RegistryStatusView of(GenericKubernetesResource registry) {
        JsonNode status = JSON.valueToTree(
                registry == null ? null : registry.getAdditionalProperties().get("status"));
        if (status == null || status.isNull() || status.isMissingNode()) {
            return new RegistryStatusView(false, OptionalInt.empty(), OptionalInt.empty(), List.of(), "{}");
        }
        boolean ready = false;
        for (JsonNode c : status.path("conditions")) {
            if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
                ready = true;
            }
        }
        List<Allocation> allocations = new ArrayList<>();
        for (JsonNode a : status.path("allocations")) {
            if (a.hasNonNull("pod") && a.hasNonNull("poolMaxSize")) {
                allocations.add(new Allocation(a.get("pod").asText(), a.get("poolMaxSize").asInt()));
            }
        }
        return new RegistryStatusView(ready, integer(status.at("/budget/available")),
                integer(status.at("/budget/perPodFloor")), List.copyOf(allocations), status.toString());
    }

    private static OptionalInt integer(JsonNode node) {
        return node.isNumber() ? OptionalInt.of(node.asInt()) : OptionalInt.empty();
    }

    Optional<Allocation> allocationOf(String pod) {
        return allocations.stream().filter(a -> a.pod().equals(pod)).findFirst();
    }

    int requireAvailable() {
        return available.orElseThrow(() -> new AssertionError("status.budget.available missing: " + raw));
    }

    int requirePerPodFloor() {
        return perPodFloor.orElseThrow(() -> new AssertionError("status.budget.perPodFloor missing: " + raw));
    }
}
