package io.regfleet.operator.reconciler;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.AggregatedOperatorException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A failed reconciliation in a condition's words: what the API server said, else the first line of the failure's own
 * message, short. Never a stack trace (JOSDK's aggregated exceptions put every dependent's in their message): the
 * operator's log has the exception in full.
 */
final class FailureMessage {
    static final int MAX_LENGTH = 300;

    private FailureMessage() {
    }

    static String of(Exception error) {
        List<Throwable> causes = causes(error);
        String text = causes.stream()
                .filter(t -> t instanceof KubernetesClientException k && k.getCode() > 0)
                .map(t -> (KubernetesClientException) t).findFirst()
                .map(k -> "the API server answered " + k.getCode() + ": " + said(k)
                        + (k.getCode() == 403 ? " (grant it to the operator's ServiceAccount: config/rbac/role.yaml)" : ""))
                .orElseGet(() -> causes.stream().map(Throwable::getMessage).filter(m -> m != null && !m.isBlank())
                        .map(m -> m.lines().findFirst().orElse(m)).findFirst()
                        .orElse(error.getClass().getSimpleName()));
        String line = text.replaceAll("\\s+", " ").trim();
        return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH - 3) + "..." : line;
    }

    private static String said(KubernetesClientException k) {
        if (k.getStatus() != null && k.getStatus().getMessage() != null) {
            return k.getStatus().getMessage();
        }
        return k.getStatus() != null && k.getStatus().getReason() != null ? k.getStatus().getReason() : "(no message)";
    }

    /**
     * The failure and its causes, breadth first, JOSDK's aggregated exceptions (one per failed dependent) opened in
     * place of themselves.
     */
    private static List<Throwable> causes(Throwable error) {
        List<Throwable> found = new ArrayList<>();
        Deque<Throwable> open = new ArrayDeque<>(List.of(error));
        Set<Throwable> seen = new HashSet<>();
        while (!open.isEmpty()) {
            Throwable t = open.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof AggregatedOperatorException aggregated) {
                open.addAll(aggregated.getAggregatedExceptions().values());
            } else {
                found.add(t);
            }
            if (t.getCause() != null) {
                open.add(t.getCause());
            }
        }
        return found;
    }
}
