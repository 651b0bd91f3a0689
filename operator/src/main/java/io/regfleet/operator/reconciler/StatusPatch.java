package io.regfleet.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.RegistryStatus;

import java.time.Duration;
import java.util.List;

/**
 * Sends the reconciler's status only when it changed: a reconciliation that finds everything as it was writes
 * nothing (etcd does not churn every recheck). status.allocations and status.rebalance belong to the rebalancer, which
 * merge-patches them from its own thread: they are left out of the comparison, and of the patch under server-side
 * apply, so the reconciler's field manager never owns them. Without server-side apply, JOSDK patches status with a
 * JSON patch computed against the cached Registry: the aggregator carried their cached values over, so that patch
 * leaves both fields alone, whatever the rebalancer wrote since.
 */
final class StatusPatch {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Written by the rebalancer (allocations, rebalance) and the share writer (share), never by the reconciler. */
    private static final List<String> REBALANCER_FIELDS = List.of("allocations", "rebalance", "share");

    private StatusPatch() {
    }

    /**
     * Patches {@code next} if it differs from the Registry's status; either way, checks again after {@code recheck}.
     *
     * @param ssa status is patched with server-side apply
     */
    static UpdateControl<Registry> of(Registry registry, RegistryStatus next, boolean ssa, Duration recheck) {
        UpdateControl<Registry> control = changed(registry.getStatus(), next)
                ? UpdateControl.patchStatus(statusOnly(registry, next, ssa))
                : UpdateControl.noUpdate();
        return control.rescheduleAfter(recheck);
    }

    static ErrorStatusUpdateControl<Registry> ofError(Registry registry, RegistryStatus next, boolean ssa) {
        return changed(registry.getStatus(), next)
                ? ErrorStatusUpdateControl.patchStatus(statusOnly(registry, next, ssa))
                : ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** Whether the reconciler's part of the status differs: everything but the rebalancer's fields. */
    static boolean changed(RegistryStatus previous, RegistryStatus next) {
        return previous == null || !reconcilersPart(previous).equals(reconcilersPart(next));
    }

    private static JsonNode reconcilersPart(RegistryStatus status) {
        ObjectNode tree = JSON.valueToTree(status);
        tree.remove(REBALANCER_FIELDS);
        return tree;
    }

    /** A fresh object carrying only identity and status, so a server-side-apply status patch claims nothing else. */
    private static Registry statusOnly(Registry registry, RegistryStatus status, boolean ssa) {
        if (ssa) {
            status.allocations = null;
            status.rebalance = null;
            status.share = null;
        }
        Registry patch = new Registry();
        patch.setMetadata(new ObjectMetaBuilder()
                .withName(registry.getMetadata().getName())
                .withNamespace(registry.getMetadata().getNamespace())
                .build());
        patch.setStatus(status);
        return patch;
    }
}
