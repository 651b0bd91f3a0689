package io.regfleet.operator.rebalance;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.regfleet.control.rebalance.PodReport;
import io.regfleet.control.rebalance.PodState;
import io.regfleet.control.rebalance.RebalanceListener;
import io.regfleet.control.rebalance.RebalanceReport;
import io.regfleet.operator.api.v1alpha1.PodAllocationStatus;
import io.regfleet.operator.api.v1alpha1.ReadReplicaStatus;
import io.regfleet.operator.api.v1alpha1.RebalanceStatus;
import io.regfleet.operator.api.v1alpha1.Registry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Writes status.allocations and status.rebalance, and nothing else, as a patch of the status subresource (the
 * reconciler never sets these two fields, so neither overwrites the other); for a read replica's rebalancer
 * ({@link #forReplica}) the allocations of that replica's status.readReplicas entry only (the reconciler keeps them
 * as last written). A round whose allocations, states and totals are those last written is recorded at most once per
 * {@link #REFRESH}: usage figures (open connections, demand) are refreshed then, so etcd does not churn every round.
 */
final class AllocationStatusWriter implements RebalanceListener {
    static final Duration REFRESH = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(AllocationStatusWriter.class);

    /** What makes a round worth recording at once. */
    private record Essentials(List<String> pods, long committed, int available, int emptySlots) {
    }

    /** Where a round's status goes. */
    @FunctionalInterface
    private interface Target {
        void write(List<PodAllocationStatus> allocations, RebalanceStatus rebalance);
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Target target;
    private long changesTotal;
    private String lastChangeTime;
    private Essentials written;
    private Instant writtenAt;

    /** @param persisted the Registry's status.rebalance before this rebalancer existed, or null */
    AllocationStatusWriter(KubernetesClient client, String namespace, String name, RebalanceStatus persisted) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.target = this::patch;
        if (persisted != null) {
            this.changesTotal = persisted.changesTotal == null ? 0 : persisted.changesTotal;
            this.lastChangeTime = persisted.lastChangeTime;
        }
    }

    @Override
    public void rebalanced(RebalanceReport report) {
        String at = report.at().truncatedTo(ChronoUnit.SECONDS).toString();
        if (report.changes() > 0) {
            changesTotal += report.changes();
            lastChangeTime = at;
        }
        Essentials now = new Essentials(report.pods().stream()
                .map(p -> p.name() + "/" + p.state() + "/" + p.poolMax() + "/" + p.counted() + "/" + p.workers()).toList(),
                report.committed(), report.limits().available(), report.emptySlots());
        if (report.changes() == 0 && now.equals(written) && writtenAt != null
                && report.at().isBefore(writtenAt.plus(REFRESH))) {
            return;
        }
        RebalanceStatus rebalance = new RebalanceStatus();
        rebalance.lastRoundTime = at;
        rebalance.committed = report.committed();
        rebalance.available = report.limits().available();
        rebalance.budget = report.committed() + "/" + report.limits().available();
        rebalance.serving = serving(report);
        rebalance.emptySlots = report.emptySlots();
        rebalance.changesTotal = changesTotal;
        rebalance.lastChangeTime = lastChangeTime;
        List<PodAllocationStatus> allocations = report.pods().stream().map(AllocationStatusWriter::allocation).toList();
        try {
            target.write(allocations, rebalance);
            written = now;
            writtenAt = report.at();
        } catch (KubernetesClientException e) {
            // recorded again next round (written is unchanged)
            LOG.infof("%s/%s: cannot record the rebalance in status: %s", namespace, name, e.getMessage());
        }
    }

    /**
     * A JSON patch that replaces the two fields (add on an existing member replaces it, lists included); before the
     * reconciler wrote any status there is no /status to add to, and a merge patch creates it. A merge patch alone
     * would do on a real API server, but the Fabric8 mock server merges lists instead of replacing them.
     */
    private void patch(List<PodAllocationStatus> allocations, RebalanceStatus rebalance) {
        var status = client.resources(Registry.class).inNamespace(namespace).withName(name).subresource("status");
        var json = client.getKubernetesSerialization();
        try {
            status.patch(PatchContext.of(PatchType.JSON), json.asJson(List.of(
                    Map.of("op", "add", "path", "/status/allocations", "value", allocations),
                    Map.of("op", "add", "path", "/status/rebalance", "value", rebalance))));
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                throw e; // the Registry is gone
            }
            status.patch(PatchContext.of(PatchType.JSON_MERGE),
                    json.asJson(Map.of("status", Map.of("allocations", allocations, "rebalance", rebalance))));
        }
    }

    /**
     * The writer of one read replica's rebalancer: status.readReplicas[i].allocations of the entry naming
     * {@code replica}, by a JSON patch that first tests the entry is still there (the reconciler rewrites the list).
     */
    static AllocationStatusWriter forReplica(KubernetesClient client, String namespace, String name, String replica) {
        return new AllocationStatusWriter(client, namespace, name, (allocations, rebalance) -> {
            var resource = client.resources(Registry.class).inNamespace(namespace).withName(name);
            Registry now = resource.get();
            List<ReadReplicaStatus> entries = now == null ? List.of() : now.recordedReadReplicas();
            int i = entries.stream().map(e -> e.replica).toList().indexOf(replica);
            if (i < 0) {
                throw new KubernetesClientException("no status.readReplicas entry for " + replica + " yet");
            }
            String at = "/status/readReplicas/" + i;
            resource.subresource("status").patch(PatchContext.of(PatchType.JSON), client.getKubernetesSerialization().asJson(List.of(
                    Map.of("op", "test", "path", at + "/replica", "value", replica),
                    Map.of("op", "add", "path", at + "/allocations", "value", allocations))));
        });
    }

    private AllocationStatusWriter(KubernetesClient client, String namespace, String name, Target target) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.target = target;
    }

    /** Pods whose agent answered / pods holding a slot (not terminating or gone). */
    static String serving(RebalanceReport report) {
        long holding = report.pods().stream().filter(p -> p.state() != PodState.TERMINATING && p.state() != PodState.GONE).count();
        long answered = report.pods().stream().filter(p -> p.state() == PodState.SERVING || p.state() == PodState.SHRINKING).count();
        return answered + "/" + holding;
    }

    static PodAllocationStatus allocation(PodReport pod) {
        PodAllocationStatus a = new PodAllocationStatus();
        a.pod = pod.name();
        a.state = PodStates.camelCase(pod.state());
        a.poolMaxSize = pod.poolMax();
        a.counted = pod.counted();
        a.workers = pod.workers();
        a.openConnections = pod.open();
        a.demand = Double.isNaN(pod.demand()) ? null : Math.round(pod.demand() * 100) / 100.0;
        return a;
    }
}
