package io.regfleet.registry.metadata.postgres.replica;

import io.regfleet.registry.metadata.MetadataChange;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.RepositoryName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing policy, without a database: which server answers a read, given what the replicas have replayed. */
class ReadRouterTest {
    private static final RepositoryName APP = new RepositoryName("team/app");
    private static final RepositoryName OTHER = new RepositoryName("team/other");
    private static final long SECOND = 1_000_000_000L;

    private final ReadRouter router = new ReadRouter();

    @Test
    void aServingReplicaPastWhatTheReadRequiresAnswersItAndReadsSpreadAcrossSuch() {
        List<ReadRouter.Candidate> both = List.of(serving("0/100"), serving("0/200"));
        Set<Integer> chosen = new HashSet<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(router.choose(both, Optional.of(lsn("0/100"))).orElseThrow());
        }
        assertEquals(Set.of(0, 1), chosen, "reads spread across the replicas that may answer");
        assertEquals(OptionalInt.of(1), router.choose(both, Optional.of(lsn("0/150"))), "only the one past 0/150");
    }

    @Test
    void thePrimaryAnswersWhenNoReplicaMayOrNothingTellsWhatIsRequired() {
        List<ReadRouter.Candidate> one = List.of(serving("0/100"));
        assertEquals(OptionalInt.empty(), router.choose(one, Optional.of(lsn("0/101"))), "behind the last write");
        assertEquals(OptionalInt.empty(), router.choose(one, Optional.empty()), "other pods' writes unheard");
        assertEquals(OptionalInt.empty(), router.choose(List.of(new ReadRouter.Candidate(false, lsn("0/900"))),
                Optional.of(lsn("0/1"))), "quarantined");
        assertEquals(OptionalInt.empty(), router.choose(List.of(), Optional.of(lsn("0/1"))), "no replica");
    }

    @Test
    void onlyImmutableReadsAskThePrimaryAgainAfterAReplicasMiss() {
        assertTrue(ReadKind.MANIFEST_BY_DIGEST.absentAskedOfPrimary());
        assertTrue(ReadKind.BLOB.absentAskedOfPrimary());
        assertFalse(ReadKind.TAGS.absentAskedOfPrimary());
        assertFalse(ReadKind.CATALOG.absentAskedOfPrimary());
        assertFalse(ReadKind.REFERRERS.absentAskedOfPrimary());
    }

    @Test
    void aRepositoryWrittenRequiresItsWriteAndOthersOnlyTheListenersFloor() {
        WriteLsns writes = new WriteLsns(10 * SECOND);
        assertEquals(Optional.empty(), writes.required(APP), "nothing heard yet: the primary");
        writes.listening(lsn("0/50"), 0);
        writes.written(Write.of(lsn("0/300"), List.of(new MetadataChange.Tag(APP, "v1"))), 1);
        assertEquals(Optional.of(lsn("0/300")), writes.required(APP));
        assertEquals(Optional.of(lsn("0/50")), writes.required(OTHER), "the floor: writes before listening");
        assertEquals(Optional.of(lsn("0/300")), writes.requiredEverywhere(), "the catalog needs every write");

        writes.written(Write.of(lsn("0/400"), List.of(new MetadataChange.Blob(Digest.sha256Of(new byte[0])))), 2);
        assertEquals(Optional.of(lsn("0/400")), writes.required(OTHER), "a blob changed for every repository");

        writes.unheard();
        assertEquals(Optional.empty(), writes.required(APP), "the listener is down: the primary");
        assertEquals(Optional.empty(), writes.requiredEverywhere());
    }

    @Test
    void lagIsHowLongTheOldestUnreplayedWriteHasWaitedAndWritesAreForgotten() {
        WriteLsns writes = new WriteLsns(10 * SECOND);
        writes.listening(lsn("0/10"), 0);
        writes.written(Write.of(lsn("0/100"), List.of(new MetadataChange.Tag(APP, "a"))), SECOND);
        writes.written(Write.of(lsn("0/200"), List.of(new MetadataChange.Tag(APP, "b"))), 2 * SECOND);
        assertEquals(0, writes.lagNanos(lsn("0/200"), 3 * SECOND), "caught up");
        assertEquals(2 * SECOND, writes.lagNanos(lsn("0/100"), 4 * SECOND), "lacks the write of second 2");
        assertEquals(3 * SECOND, writes.lagNanos(lsn("0/50"), 4 * SECOND), "lacks the write of second 1");

        writes.forget(lsn("0/100"), 4 * SECOND);
        assertEquals(1, writes.remembered(), "what every replica replayed is forgotten");
        writes.forget(null, 13 * SECOND);
        assertEquals(0, writes.remembered(), "and what is older than the bound");
        assertEquals(10 * SECOND, writes.lagNanos(lsn("0/100"), 13 * SECOND),
                "a replica lacking a forgotten write lags at least the bound");
        assertEquals(Optional.of(lsn("0/10")), writes.required(APP), "a forgotten write requires only the floor");
    }

    @Test
    void aReplicaBeyondTheMaxLagIsQuarantinedAndRejoinsAtHalfOnceItHasEverythingKnownThen() {
        long max = 2 * SECOND;
        ReplicaHealth health = ReplicaHealth.UNKNOWN.sampled(lsn("0/10"), 0, max, lsn("0/10"));
        assertTrue(health.serving(), "reachable and caught up");
        health = health.sampled(lsn("0/10"), SECOND + SECOND / 2, max, lsn("0/90"));
        assertTrue(health.serving(), "behind, within the bound");
        health = health.sampled(lsn("0/10"), 3 * SECOND, max, lsn("0/90"));
        assertFalse(health.serving());
        assertEquals("Lagging", health.reason());
        health = health.sampled(lsn("0/80"), SECOND / 2, max, lsn("0/95"));
        assertFalse(health.serving(), "within half the bound but short of what was known while it lagged");
        health = health.sampled(lsn("0/90"), 2 * SECOND - 1, max, lsn("0/95"));
        assertFalse(health.serving(), "past it but lagging more than half the bound");
        health = health.sampled(lsn("0/90"), SECOND / 2, max, lsn("0/95"));
        assertTrue(health.serving());
        assertEquals("Serving", health.reason());

        health = health.unreachable(lsn("0/99"));
        assertFalse(health.serving());
        assertEquals("Unreachable", health.reason());
        assertFalse(health.sampled(lsn("0/98"), 0, max, lsn("0/99")).serving(), "back, not yet past what it missed");
        assertTrue(health.sampled(lsn("0/99"), 0, max, lsn("0/99")).serving());
    }

    @Test
    void aWriteNamesTheRepositoriesItChangedOrEveryOne() {
        Write write = Write.of(lsn("0/1"), List.of(new MetadataChange.Tag(APP, "v1"),
                new MetadataChange.Manifest(OTHER, Digest.sha256Of(new byte[1]))));
        assertEquals(Set.of(APP, OTHER), write.repositories());
        assertFalse(write.everywhere());
        assertTrue(Write.of(lsn("0/1"), List.of(new MetadataChange.Everything())).everywhere());
    }

    private static ReadRouter.Candidate serving(String replayed) {
        return new ReadRouter.Candidate(true, lsn(replayed));
    }

    private static Lsn lsn(String text) {
        return Lsn.parse(text);
    }
}
