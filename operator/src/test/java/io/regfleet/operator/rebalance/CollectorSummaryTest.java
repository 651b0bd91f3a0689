package io.regfleet.operator.rebalance;

import io.regfleet.fleet.CollectorReport;
import io.regfleet.operator.api.v1alpha1.GarbageCollectionStatus;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pods' collector reports as status.garbageCollection, and when a new one is worth a status write. */
class CollectorSummaryTest {
    private static final double T0 = 1_780_000_000.0;

    private static CollectorReport report(double lastRound, long blobs, long blobQueue) {
        return new CollectorReport(lastRound, blobs, blobs * 1000, 0, 0, 0, 0, blobQueue, 0, 0);
    }

    private static GarbageCollectionStatus of(CollectorReport... reports) {
        return CollectorSummary.of(List.of(reports)).orElseThrow();
    }

    @Test
    void noReportNoSummaryAndNoRoundNoTime() {
        assertTrue(CollectorSummary.of(List.of()).isEmpty(), "status keeps the last summary when no pod answered");
        assertNull(of(report(0, 0, 3)).lastRunTime, "a pod whose collector has not finished a round yet");
    }

    @Test
    void anIdleCollectorsNewerRoundIsWrittenAtMostEveryTenMinutes() {
        GarbageCollectionStatus written = of(report(T0, 4, 2));
        // two minutes later: the same figures, only a later round: not worth a status write
        assertSame(written, CollectorSummary.next(written, of(report(T0 + 120, 4, 2))));
        // ten minutes after the written round: written
        GarbageCollectionStatus later = of(report(T0 + CollectorSummary.REFRESH.toSeconds(), 4, 2));
        assertSame(later, CollectorSummary.next(written, later));
        // a figure that moved is written at once
        GarbageCollectionStatus moved = of(report(T0 + 120, 5, 1));
        assertSame(moved, CollectorSummary.next(written, moved));
        assertEquals(5, moved.collectedBlobs);
        assertSame(written, CollectorSummary.next(null, written));
    }
}
