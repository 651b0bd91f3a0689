package io.regfleet.operator.rebalance;

import io.regfleet.fleet.CollectorReport;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionStatus;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pods' collector reports as status.garbageCollection, and when a new summary is worth writing: at once when a
 * figure moved, but a summary whose only news is a later round is written at most every {@link #REFRESH} (an idle
 * collector finishes a round every two minutes: its status should not churn with it).
 */
public final class CollectorSummary {
    static final Duration REFRESH = Duration.ofMinutes(10);

    private CollectorSummary() {
    }

    /** The reports summed (totals per pod since it started); the backlog as the pod with the latest round counted it. */
    public static Optional<GarbageCollectionStatus> of(List<CollectorReport> reports) {
        if (reports.isEmpty()) {
            return Optional.empty();
        }
        CollectorReport latest = reports.stream().max(Comparator.comparingDouble(CollectorReport::lastRoundEpochSeconds)).orElseThrow();
        GarbageCollectionStatus status = new GarbageCollectionStatus();
        status.lastRunTime = latest.lastRoundEpochSeconds() <= 0 ? null
                : Instant.ofEpochMilli((long) (latest.lastRoundEpochSeconds() * 1000)).truncatedTo(ChronoUnit.SECONDS).toString();
        status.pods = reports.size();
        status.collectedBlobs = reports.stream().mapToLong(CollectorReport::blobsCollected).sum();
        status.collectedBytes = reports.stream().mapToLong(CollectorReport::bytesCollected).sum();
        status.collectedManifests = reports.stream().mapToLong(CollectorReport::manifestsCollected).sum();
        status.errors = reports.stream().mapToLong(CollectorReport::errors).sum();
        status.blobBacklog = latest.blobQueue();
        status.manifestBacklog = latest.manifestQueue();
        status.deletionsInProgress = latest.deletionsInProgress();
        return Optional.of(status);
    }

    /** What status.garbageCollection becomes: {@code read}, unless it differs from {@code previous} only by a recent round. */
    public static GarbageCollectionStatus next(GarbageCollectionStatus previous, GarbageCollectionStatus read) {
        if (previous == null || !sameFigures(previous, read) || previous.lastRunTime == null || read.lastRunTime == null) {
            return read;
        }
        boolean recent = Instant.parse(read.lastRunTime).isBefore(Instant.parse(previous.lastRunTime).plus(REFRESH));
        return recent ? previous : read;
    }

    private static boolean sameFigures(GarbageCollectionStatus a, GarbageCollectionStatus b) {
        return Objects.equals(a.pods, b.pods) && Objects.equals(a.collectedBlobs, b.collectedBlobs)
                && Objects.equals(a.collectedBytes, b.collectedBytes) && Objects.equals(a.collectedManifests, b.collectedManifests)
                && Objects.equals(a.errors, b.errors) && Objects.equals(a.blobBacklog, b.blobBacklog)
                && Objects.equals(a.manifestBacklog, b.manifestBacklog) && Objects.equals(a.deletionsInProgress, b.deletionsInProgress);
    }
}
