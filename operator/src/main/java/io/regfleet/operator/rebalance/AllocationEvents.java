package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.operator.api.v1alpha1.Registry;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Events on the Registry: Normal {@value #ALLOCATION_CHANGED} for every round that changed a pod's pool maximum
 * (e.g. "pool maxima: a-7x 4->9, b-2q 9->4 (committed 18/20)"), Warning {@value #OVER_BUDGET} when a round ends with
 * more counted than available (pods the rebalancer cannot change hold it).
 */
final class AllocationEvents implements RebalanceListener {
    static final String ALLOCATION_CHANGED = "AllocationChanged";
    static final String OVER_BUDGET = "OverBudget";
    static final String COMPONENT = "regfleet-operator";
    private static final Logger LOG = Logger.getLogger(AllocationEvents.class);

    private final KubernetesClient client;
    private final Registry registry;

    AllocationEvents(KubernetesClient client, Registry registry) {
        this.client = client;
        this.registry = registry;
    }

    @Override
    public void rebalanced(RebalanceReport report) {
        String totals = "committed " + report.committed() + "/" + report.limits().available();
        List<String> moved = new ArrayList<>();
        for (PodReport pod : report.pods()) {
            if (pod.previousPoolMax() != pod.poolMax()) {
                moved.add(pod.name() + " " + pod.previousPoolMax() + "->" + pod.poolMax());
            }
        }
        if (report.changes() > 0) {
            String what = moved.isEmpty() ? report.changes() + " worker limit change(s)" : "pool maxima: " + String.join(", ", moved);
            emit("Normal", ALLOCATION_CHANGED, what + " (" + totals + ")", report);
        }
        if (report.committed() > report.limits().available()) {
            emit("Warning", OVER_BUDGET, totals + ": pods that are silent or gone hold more than the fleet may; "
                    + "what answers is being shrunk", report);
        }
    }

    private void emit(String type, String reason, String message, RebalanceReport report) {
        String time = report.at().truncatedTo(ChronoUnit.SECONDS).toString();
        var event = new EventBuilder()
                .withNewMetadata()
                .withName(registry.getMetadata().getName() + "." + Long.toHexString(report.at().toEpochMilli()) + "." + reason.toLowerCase())
                .withNamespace(registry.getMetadata().getNamespace())
                .endMetadata()
                .withInvolvedObject(new ObjectReferenceBuilder()
                        .withApiVersion(registry.getApiVersion())
                        .withKind(registry.getKind())
                        .withName(registry.getMetadata().getName())
                        .withNamespace(registry.getMetadata().getNamespace())
                        .withUid(registry.getMetadata().getUid())
                        .build())
                .withType(type)
                .withReason(reason)
                .withMessage(message)
                .withCount(1)
                .withFirstTimestamp(time)
                .withLastTimestamp(time)
                .withReportingComponent(COMPONENT)
                .withReportingInstance(COMPONENT)
                .withNewSource().withComponent(COMPONENT).endSource()
                .build();
        try {
            client.v1().events().inNamespace(registry.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            LOG.infof("%s/%s: cannot record event %s: %s", registry.getMetadata().getNamespace(),
                    registry.getMetadata().getName(), reason, e.getMessage());
        }
    }
}
