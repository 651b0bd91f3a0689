package io.regfleet.operator.share;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.regfleet.operator.api.v1alpha1.Registry;
import io.regfleet.operator.api.v1alpha1.ShareStatus;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Writes one Registry's status.share, and nothing else, as a merge patch of the status subresource (the reconciler
 * leaves the field alone). What a restarted operator counts the Registry at must never be less than what its pods may
 * hold, so a rise is written before it is handed out ({@link #ahead}), and failing that it is not handed out; other
 * changes are written as they come, a mere change of the count at most once per {@link #REFRESH}.
 */
final class ShareStatusWriter {
    static final Duration REFRESH = Duration.ofMinutes(1);
    private static final Logger LOG = Logger.getLogger(ShareStatusWriter.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final Clock clock;
    private ShareStatus written;
    private Instant writtenAt = Instant.MIN;

    /** @param persisted the Registry's status.share when this operator first saw it, or null */
    ShareStatusWriter(KubernetesClient client, Registry registry, ShareStatus persisted, Clock clock) {
        this.client = client;
        this.namespace = registry.getMetadata().getNamespace();
        this.name = registry.getMetadata().getName();
        this.written = persisted;
        this.clock = clock;
    }

    /**
     * What the Registry's status shows now (a reconciliation's view): another writer (a status patch carrying an older
     * copy) may have replaced what this one wrote, so the next write compares against what is there.
     */
    synchronized void seen(ShareStatus current) {
        written = current;
    }

    /**
     * Before the Registry may hold what {@code next} counts: written unless the recorded count already covers it.
     *
     * @throws KubernetesClientException when it could not be written (then nothing more may be handed out)
     */
    synchronized void ahead(ShareStatus next) {
        if (!covers(written, next)) {
            write(next);
        } else {
            refresh(next);
        }
    }

    /** After the Registry reported (or a reconciliation): written when it changed, best effort. */
    synchronized void refresh(ShareStatus next) {
        boolean changed = !sameButCount(written, next)
                || !Objects.equals(written.counted, next.counted) && clock.instant().isAfter(writtenAt.plus(REFRESH));
        if (changed) {
            try {
                write(next);
            } catch (KubernetesClientException e) {
                LOG.infof("%s/%s: cannot record its share in status: %s", namespace, name, e.getMessage());
            }
        }
    }

    private void write(ShareStatus next) {
        client.resources(Registry.class).inNamespace(namespace).withName(name).subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE),
                        client.getKubernetesSerialization().asJson(Map.of("status", Map.of("share", next))));
        written = next;
        writtenAt = clock.instant();
    }

    /** The recorded count (reserve included) is at least the new one, on the same server. */
    private static boolean covers(ShareStatus recorded, ShareStatus next) {
        return recorded != null && Objects.equals(recorded.server, next.server)
                && ShareStatuses.total(recorded) >= ShareStatuses.total(next);
    }

    private static boolean sameButCount(ShareStatus a, ShareStatus b) {
        return a != null && Objects.equals(a.server, b.server) && Objects.equals(a.state, b.state)
                && Objects.equals(a.weight, b.weight) && Objects.equals(a.guaranteed, b.guaranteed)
                && Objects.equals(a.share, b.share) && Objects.equals(a.reserve, b.reserve)
                && Objects.equals(a.available, b.available) && Objects.equals(a.registries, b.registries);
    }
}
