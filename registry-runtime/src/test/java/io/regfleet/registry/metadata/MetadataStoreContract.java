package io.regfleet.registry.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.regfleet.registry.blob.UploadState;
import io.regfleet.registry.manifest.ParsedManifest;
import io.regfleet.registry.oci.Digest;
import io.regfleet.registry.oci.Reference;
import io.regfleet.registry.oci.RepositoryName;
import java.io.IOException;
import java.text.Collator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
/**
 * What every metadata store ({@link MetadataStore} and its {@link UploadSessions}) must do. A subclass supplies
 * both over the same, empty state for each test, and a way to let time pass for upload sessions.
 */
public abstract class MetadataStoreContract {
    static final RepositoryName APP = new RepositoryName("team/app");
    static final RepositoryName OTHER = new RepositoryName("team/other");
    static final String IMAGE = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    static final Duration LEASE = Duration.ofMinutes(15);

    private Stores stores;

    /** A store under test, its upload sessions, its inventory, its verify ledger and its collector's side, over the same state. */
    public record Stores(MetadataStore store, UploadSessions sessions, Inventory inventory, VerifyLedger ledger,
                         GarbageCollection gc) {
    }

    /** New stores over an empty state; called before each test. */
    protected abstract Stores emptyStores();

    /**
     * Makes every upload session and lease, tag, review candidate and deletion claim older by {@code elapsed}, as if
     * that much time had passed.
     */
    protected abstract void timePasses(Duration elapsed);

    @BeforeEach
    void createStores() {
        stores = emptyStores();
    }

    protected MetadataStore store() {
        return stores.store();
    }

    protected UploadSessions sessions() {
        return stores.sessions();
    }

    protected Inventory inventory() {
        return stores.inventory();
    }

    protected VerifyLedger ledger() {
        return stores.ledger();
    }

    protected GarbageCollection gc() {
        return stores.gc();
    }

    // --- manifests and tags

    @Test
    void storesAManifestAndReadsItByTagAndByDigest() {
        Digest config = blob(APP, "config");
        Digest layer = blob(APP, "layer");
        byte[] content = content("image");

        Digest digest = put(APP, "v1", image(List.of(config, layer), null, null, null), content);

        for (Reference reference : List.of(new Reference.Tag("v1"), new Reference.ByDigest(digest))) {
            StoredManifest read = store().manifest(APP, reference).orElseThrow();
            assertEquals(digest, read.digest());
            assertEquals(IMAGE, read.mediaType());
            assertArrayEquals(content, read.content());
        }
        assertTrue(store().repositoryExists(APP));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v2")));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(Digest.sha256Of(content("no")))));
    }

    @Test
    void knowsNothingOfAnUnknownRepository() {
        Digest digest = Digest.sha256Of(content("anything"));

        assertFalse(store().repositoryExists(APP));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("latest")));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(digest)));
        assertEquals(Optional.empty(), store().tags(APP, null, 10));
        assertEquals(OptionalLong.empty(), store().blobSize(APP, digest));
        assertFalse(store().deleteManifest(APP, digest));
        assertFalse(store().deleteTag(APP, "latest"));
        assertFalse(store().unlinkBlob(APP, digest));
        assertEquals(List.of(), store().referrers(APP, digest, null));
        assertEquals(Page.EMPTY, store().catalog(null, 10));
        assertFalse(store().repositoryExists(APP), "reading creates nothing");
    }

    @Test
    void refusesAManifestWhoseBlobsAreMissingAndWritesNothing() {
        Digest absent1 = Digest.sha256Of(content("absent 1"));
        Digest absent2 = Digest.sha256Of(content("absent 2"));
        ParsedManifest parsed = image(List.of(absent1, absent2), null, null, null);

        MissingReferencesException e = assertThrows(MissingReferencesException.class,
                () -> store().putManifest(APP, Digest.sha256Of(content("m")), parsed, content("m"), "v1"));

        assertEquals(List.of(absent1, absent2), e.blobs());
        assertEquals(List.of(), e.manifests());
        assertFalse(store().repositoryExists(APP), "the repository a refused first push would create is not kept");

        Digest present = blob(APP, "present");
        e = assertThrows(MissingReferencesException.class, () -> store().putManifest(APP, Digest.sha256Of(content("m")),
                image(List.of(present, absent2), null, null, null), content("m"), "v1"));
        assertEquals(List.of(absent2), e.blobs());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v1")));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(Digest.sha256Of(content("m")))));
    }

    @Test
    void refusesAManifestThatDeclaresAnotherSizeThanItsBlobs() {
        Digest config = blob(APP, "config"); // content("config") is 22 bytes
        Digest layer = blob(APP, "a layer");
        long configSize = content("config").length;
        ParsedManifest wrong = new ParsedManifest(IMAGE, List.of(config, layer), List.of(), null, null, null,
                Map.of(config, configSize, layer, 1L));

        BlobSizeMismatchException e = assertThrows(BlobSizeMismatchException.class,
                () -> store().putManifest(APP, Digest.sha256Of(content("m")), wrong, content("m"), "v1"));

        assertEquals(List.of(new BlobSizeMismatchException.Mismatch(layer, 1, content("a layer").length)), e.mismatches());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v1")));
        ParsedManifest right = new ParsedManifest(IMAGE, List.of(config, layer), List.of(), null, null, null,
                Map.of(config, configSize, layer, (long) content("a layer").length));
        put(APP, "v1", right, content("m"));
        assertTrue(store().manifest(APP, new Reference.Tag("v1")).isPresent());
    }

    @Test
    void aQuarantinedBlobReadsAsAbsentEverywhereUntilAVerifiedUploadRestoresIt() {
        RepositoryName other = new RepositoryName("other/repo");
        Digest layer = blob(APP, "layer");
        assertTrue(store().mountBlob(other, layer, APP));
        assertFalse(store().blobQuarantined(layer));

        store().quarantineBlob(layer);

        assertTrue(store().blobQuarantined(layer));
        assertEquals(OptionalLong.empty(), store().blobSize(APP, layer));
        assertEquals(OptionalLong.empty(), store().blobSize(other, layer));
        assertFalse(store().mountBlob(new RepositoryName("third"), layer, APP), "not mountable");
        assertEquals(List.of(layer), assertThrows(MissingReferencesException.class,
                () -> put(APP, "v1", image(List.of(layer), null, null, null), content("m"))).blobs());

        blob(other, "layer"); // pushed again: verified bytes replace the corrupt ones
        assertFalse(store().blobQuarantined(layer));
        assertEquals(OptionalLong.of(content("layer").length), store().blobSize(APP, layer));
        assertEquals(OptionalLong.of(content("layer").length), store().blobSize(other, layer));
    }

    @Test
    void pointsSeveralTagsAtAManifestInOneUnit() {
        Digest layer = blob(APP, "layer");
        Digest digest = Digest.sha256Of(content("m"));
        store().putManifest(APP, digest, image(List.of(layer), null, null, null), content("m"), List.of("a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), store().tags(APP, null, 10).orElseThrow().entries());
        for (String tag : List.of("a", "b", "c")) {
            assertEquals(digest, store().manifest(APP, new Reference.Tag(tag)).orElseThrow().digest());
        }
    }

    @Test
    void refusesAnIndexWhoseChildManifestsAreMissingAndChecksBlobsFirst() {
        Digest child = put(APP, null, image(List.of(blob(APP, "layer")), null, null, null), content("child"));
        Digest absentChild = Digest.sha256Of(content("absent child"));
        Digest absentBlob = Digest.sha256Of(content("absent blob"));

        MissingReferencesException e = assertThrows(MissingReferencesException.class,
                () -> put(APP, "multi", index(List.of(), List.of(child, absentChild)), content("index")));
        assertEquals(List.of(), e.blobs());
        assertEquals(List.of(absentChild), e.manifests());

        e = assertThrows(MissingReferencesException.class,
                () -> put(APP, "multi", index(List.of(absentBlob), List.of(absentChild)), content("index")));
        assertEquals(List.of(absentBlob), e.blobs());
        assertEquals(List.of(), e.manifests(), "manifests are looked at only once every blob is there");
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("multi")));

        Digest index = put(APP, "multi", index(List.of(), List.of(child)), content("index"));
        assertEquals(index, store().manifest(APP, new Reference.Tag("multi")).orElseThrow().digest());
    }

    @Test
    void referencesCountOnlyInTheirOwnRepository() {
        Digest layer = blob(OTHER, "layer");
        Digest child = put(OTHER, null, image(List.of(layer), null, null, null), content("child"));

        assertEquals(List.of(layer), assertThrows(MissingReferencesException.class,
                () -> put(APP, "v1", image(List.of(layer), null, null, null), content("m"))).blobs());
        assertEquals(List.of(child), assertThrows(MissingReferencesException.class,
                () -> put(APP, "v1", index(List.of(), List.of(child)), content("i"))).manifests());
    }

    @Test
    void storingTheSameManifestAgainIsIdempotentAndKeepsItsOwnCopy() {
        byte[] content = content("image");
        Digest digest = put(APP, null, image(List.of(), null, null, null), content);
        put(APP, null, image(List.of(), null, null, null), content);
        put(APP, "v1", image(List.of(), null, null, null), content);
        content[0] = 'X';

        StoredManifest read = store().manifest(APP, new Reference.Tag("v1")).orElseThrow();
        assertEquals(digest, read.digest());
        assertArrayEquals(content("image"), read.content());
        read.content()[0] = 'Y';
        assertArrayEquals(content("image"), store().manifest(APP, new Reference.ByDigest(digest)).orElseThrow().content());
        assertEquals(List.of("v1"), store().tags(APP, null, 10).orElseThrow().entries());
    }

    @Test
    void aTagMovesToTheManifestPushedLast() {
        Digest first = put(APP, "latest", image(List.of(), null, null, null), content("first"));
        Digest second = put(APP, "latest", image(List.of(), null, null, null), content("second"));

        assertNotEquals(first, second);
        assertEquals(second, store().manifest(APP, new Reference.Tag("latest")).orElseThrow().digest());
        assertEquals(first, store().manifest(APP, new Reference.ByDigest(first)).orElseThrow().digest());
        assertEquals(List.of("latest"), store().tags(APP, null, 10).orElseThrow().entries());
    }

    @Test
    void deletingATagKeepsItsManifest() {
        Digest digest = put(APP, "v1", image(List.of(), null, null, null), content("m"));

        assertTrue(store().deleteTag(APP, "v1"));

        assertFalse(store().deleteTag(APP, "v1"));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("v1")));
        assertTrue(store().manifest(APP, new Reference.ByDigest(digest)).isPresent());
        assertEquals(Page.EMPTY, store().tags(APP, null, 10).orElseThrow());
    }

    @Test
    void deletingAManifestDeletesEveryTagOnItAndNothingElse() {
        Digest doomed = put(APP, "a", image(List.of(), null, null, null), content("doomed"));
        put(APP, "b", image(List.of(), null, null, null), content("doomed"));
        Digest kept = put(APP, "c", image(List.of(), null, null, null), content("kept"));
        put(OTHER, "a", image(List.of(), null, null, null), content("doomed"));

        assertTrue(store().deleteManifest(APP, doomed));

        assertFalse(store().deleteManifest(APP, doomed));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(doomed)));
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.Tag("a")));
        assertEquals(List.of("c"), store().tags(APP, null, 10).orElseThrow().entries());
        assertEquals(kept, store().manifest(APP, new Reference.Tag("c")).orElseThrow().digest());
        assertEquals(doomed, store().manifest(OTHER, new Reference.Tag("a")).orElseThrow().digest());
        assertTrue(store().repositoryExists(APP));
    }

    // --- listings

    @Test
    void tagsListInByteOrderWhateverTheLocale() {
        List<String> tags = List.of("b", "A1", "a.b", "_x", "ab", "a-z", "B", "10", "9", "a");
        for (String tag : tags) {
            put(APP, tag, image(List.of(), null, null, null), content("m"));
        }
        List<String> byteOrder = List.of("10", "9", "A1", "B", "_x", "a", "a-z", "a.b", "ab", "b");
        assertNotEquals(byteOrder, sortedIn(Locale.US, tags), "these tags sort otherwise under a locale");

        assertEquals(new Page(byteOrder, false), store().tags(APP, null, 100).orElseThrow());
        assertEquals(byteOrder, walk(3, (last, limit) -> store().tags(APP, last, limit).orElseThrow()));
        assertEquals(new Page(List.of("_x", "a"), true), store().tags(APP, "B", 2).orElseThrow());
        assertEquals(new Page(List.of("a.b", "ab", "b"), false), store().tags(APP, "a-z", 3).orElseThrow());
        assertEquals(new Page(List.of("a-z"), true), store().tags(APP, "a", 1).orElseThrow());
        assertEquals(Page.EMPTY, store().tags(APP, "b", 5).orElseThrow());
        assertEquals(Page.EMPTY, store().tags(APP, "zzz", 5).orElseThrow());
        assertEquals(new Page(List.of("b"), false), store().tags(APP, "az", 5).orElseThrow(), "last need not exist");
        assertEquals(Page.EMPTY, store().tags(APP, null, 0).orElseThrow());
        assertEquals(Optional.empty(), store().tags(OTHER, null, 0), "an unknown repository even for no entries");
    }

    @Test
    void catalogListsRepositoriesInByteOrderWhateverTheLocale() {
        List<String> names = List.of("ab", "a_b", "a0", "a/b", "a.b", "a-z", "b");
        for (String name : names) {
            blob(new RepositoryName(name), "x");
        }
        List<String> byteOrder = List.of("a-z", "a.b", "a/b", "a0", "a_b", "ab", "b");
        assertNotEquals(byteOrder, sortedIn(Locale.US, names), "these names sort otherwise under a locale");

        assertEquals(new Page(byteOrder, false), store().catalog(null, 7));
        assertEquals(new Page(byteOrder.subList(0, 6), true), store().catalog(null, 6));
        assertEquals(byteOrder, walk(2, store()::catalog));
        assertEquals(new Page(List.of("a0", "a_b"), true), store().catalog("a/b", 2));
        assertEquals(new Page(List.of("a/b"), true), store().catalog("a/", 1), "last need not exist");
        assertEquals(Page.EMPTY, store().catalog("b", 3));
        assertEquals(Page.EMPTY, store().catalog(null, 0));
    }

    // --- referrers

    @Test
    void referrersAreListedOldestFirstAndFilteredByArtifactType() throws IOException {
        Digest subject = put(APP, "app", image(List.of(), null, null, null), content("subject"));
        Digest otherSubject = put(APP, null, image(List.of(), null, null, null), content("other subject"));
        byte[] sbomContent = content("sbom");
        Digest sbom = put(APP, null, image(List.of(), subject, "application/vnd.example.sbom",
                "{\"org.example\":\"yes\",\"a\":\"b\"}"), sbomContent);
        Digest signature = put(APP, null, image(List.of(), subject, "application/vnd.example.signature", null),
                content("signature"));
        Digest secondSbom = put(APP, "sbom", image(List.of(), subject, "application/vnd.example.sbom", null),
                content("second sbom"));
        put(APP, null, image(List.of(), otherSubject, "application/vnd.example.sbom", null), content("elsewhere"));
        put(OTHER, null, image(List.of(), subject, "application/vnd.example.sbom", null), content("sbom"));

        List<Referrer> all = store().referrers(APP, subject, null);
        assertEquals(List.of(sbom, signature, secondSbom), digests(all));
        Referrer first = all.getFirst();
        assertEquals(IMAGE, first.mediaType());
        assertEquals(sbomContent.length, first.size());
        assertEquals("application/vnd.example.sbom", first.artifactType());
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree("{\"a\":\"b\",\"org.example\":\"yes\"}"), json.readTree(first.annotationsJson()));
        assertEquals(null, all.get(1).annotationsJson());

        assertEquals(List.of(sbom, secondSbom), digests(store().referrers(APP, subject, "application/vnd.example.sbom")));
        assertEquals(List.of(), store().referrers(APP, subject, "application/vnd.example.none"));
        assertEquals(List.of(), store().referrers(APP, sbom, null));

        assertTrue(store().deleteManifest(APP, sbom));
        assertEquals(List.of(signature, secondSbom), digests(store().referrers(APP, subject, null)));
    }

    // --- blobs

    @Test
    void aCompletedUploadMakesItsBlobVisibleInItsRepositoryOnly() {
        UploadSession session = sessions().create(APP, newId(), new UploadState(1234, "driver"));
        Digest digest = Digest.sha256Of(content("blob"));

        sessions().complete(session, digest);

        assertEquals(OptionalLong.of(1234), store().blobSize(APP, digest));
        assertEquals(OptionalLong.empty(), store().blobSize(OTHER, digest));
        assertEquals(Optional.empty(), sessions().find(APP, session.id()));
        assertFalse(sessions().delete(session.id()));

        UploadSession again = sessions().create(OTHER, newId(), new UploadState(1234, ""));
        sessions().complete(again, digest);
        assertEquals(OptionalLong.of(1234), store().blobSize(OTHER, digest));
    }

    @Test
    void mountingLinksABlobTheSourceHoldsAndNothingElse() {
        Digest digest = blob(OTHER, "shared");
        RepositoryName target = new RepositoryName("team/new");

        assertFalse(store().mountBlob(target, digest, APP), "the source does not exist");
        assertFalse(store().mountBlob(target, Digest.sha256Of(content("absent")), OTHER), "the source lacks the blob");
        assertFalse(store().repositoryExists(target), "a failed mount creates nothing");

        assertTrue(store().mountBlob(target, digest, OTHER));
        assertTrue(store().mountBlob(target, digest, OTHER), "mounting again is harmless");
        assertTrue(store().repositoryExists(target));
        assertEquals(store().blobSize(OTHER, digest), store().blobSize(target, digest));
        assertTrue(store().mountBlob(OTHER, digest, OTHER), "a repository may mount from itself");
    }

    @Test
    void unlinkingABlobRemovesItFromOneRepositoryOnly() {
        Digest digest = blob(APP, "blob");
        assertTrue(store().mountBlob(OTHER, digest, APP));

        assertTrue(store().unlinkBlob(APP, digest));

        assertFalse(store().unlinkBlob(APP, digest));
        assertEquals(OptionalLong.empty(), store().blobSize(APP, digest));
        assertEquals(OptionalLong.of(content("blob").length), store().blobSize(OTHER, digest));
        assertFalse(store().mountBlob(new RepositoryName("team/third"), digest, APP));
        assertTrue(store().mountBlob(APP, digest, OTHER), "the recorded blob can be linked again");
    }

    @Test
    void answersAndRemembersItsLastSuccess() {
        store().ping();

        assertNotEquals(0, store().lastSuccessNanos());
    }

    // --- upload sessions

    @Test
    void aSessionIsFoundInItsOwnRepositoryOnly() {
        String id = newId();
        UploadSession created = sessions().create(APP, id, new UploadState(0, "begun"));

        assertEquals(new UploadSession(id, APP.value(), new UploadState(0, "begun")), created);
        assertEquals(Optional.of(created), sessions().find(APP, id));
        assertEquals(Optional.empty(), sessions().find(OTHER, id));
        assertEquals(Optional.empty(), sessions().find(APP, newId()));
        assertTrue(store().repositoryExists(APP), "a session's repository is created with it");
        assertThrows(IllegalStateException.class, () -> sessions().create(OTHER, id, new UploadState(0, "")));
    }

    @Test
    void oneWriterHoldsTheLease() {
        String id = sessions().create(APP, newId(), new UploadState(10, "s")).id();

        assertFalse(leases(id, 0, "a", LEASE), "not at the size the writer expects");
        assertFalse(leases(newId(), 0, "a", LEASE), "no such session");
        assertTrue(leases(id, 10, "a", LEASE));
        assertFalse(leases(id, 10, "b", LEASE));
        assertFalse(sessions().advance(id, "b", new UploadState(20, "b")), "only the holder advances");

        assertTrue(sessions().advance(id, "a", new UploadState(20, "a")));

        assertEquals(new UploadState(20, "a"), sessions().find(APP, id).orElseThrow().state());
        assertFalse(sessions().advance(id, "a", new UploadState(30, "a")), "advancing dropped the lease");
        assertFalse(leases(id, 10, "b", LEASE), "the session moved on");
        assertTrue(leases(id, 20, "b", LEASE));
    }

    /** Whether {@code owner} takes the lease of the session in APP at {@code size}. */
    private boolean leases(String id, long size, String owner, Duration duration) {
        return sessions().lease(APP, id, OptionalLong.of(size), owner, duration).isPresent();
    }

    /** Leases the session for "writer" (unless it holds it already) and claims the commit of the digest's bytes. */
    private UploadSessions.CommitClaim claimCommit(UploadSession session, Digest digest) {
        sessions().lease(new RepositoryName(session.repository()), session.id(), OptionalLong.empty(), "writer", LEASE);
        return sessions().beginCommit(session, "writer", digest);
    }

    @Test
    void leasingFindsTheSessionInItsOwnRepositoryAtAnyOffsetWhenNoneIsNamed() {
        String id = sessions().create(APP, newId(), new UploadState(10, "s")).id();

        assertEquals(Optional.empty(), sessions().lease(OTHER, id, OptionalLong.empty(), "a", LEASE), "not there");
        assertEquals(Optional.of(new UploadSession(id, APP.value(), new UploadState(10, "s"))),
                sessions().lease(APP, id, OptionalLong.empty(), "a", LEASE));
        assertEquals(Optional.empty(), sessions().lease(APP, id, OptionalLong.empty(), "b", LEASE), "held by a");
    }

    @Test
    void aCommitClaimRecordsTheLastChunkForTheLeaseHolderOnly() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        assertTrue(leases(id, 0, "a", LEASE));
        Digest digest = Digest.sha256Of(("claimed " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        UploadSession last = new UploadSession(id, APP.value(), new UploadState(9, "last"));

        assertEquals(UploadSessions.CommitClaim.LEASE_LOST, sessions().beginCommit(last, "b", digest));
        assertEquals(new UploadState(0, ""), sessions().find(APP, id).orElseThrow().state(), "nothing changed");
        assertEquals(UploadSessions.CommitClaim.CLAIMED, sessions().beginCommit(last, "a", digest));
        assertEquals(new UploadState(9, "last"), sessions().find(APP, id).orElseThrow().state());
    }

    @Test
    void releaseDropsTheLeaseOfItsHolderOnly() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        assertTrue(leases(id, 0, "a", LEASE));

        sessions().release(id, "b");
        assertFalse(leases(id, 0, "b", LEASE));

        sessions().release(id, "a");
        assertTrue(leases(id, 0, "b", LEASE));
        assertEquals(new UploadState(0, ""), sessions().find(APP, id).orElseThrow().state());
    }

    @Test
    void aRenewedLeaseStaysLiveAndOnlyItsHolderRenewsIt() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        assertTrue(leases(id, 0, "writer", Duration.ofMinutes(1)));
        timePasses(Duration.ofSeconds(50));
        assertTrue(sessions().renew(id, "writer", Duration.ofMinutes(1)));
        assertFalse(sessions().renew(id, "other", Duration.ofMinutes(1)), "only the holder renews");
        timePasses(Duration.ofSeconds(50));
        assertFalse(leases(id, 0, "other", LEASE), "renewed: still live 100 s after it was taken");

        timePasses(Duration.ofMinutes(1));
        assertTrue(leases(id, 0, "other", LEASE), "not renewed any more: it lapsed");
        assertFalse(sessions().renew(id, "writer", Duration.ofMinutes(1)), "a lease taken over cannot be renewed");
        assertFalse(sessions().advance(id, "writer", new UploadState(5, "w")));
    }

    @Test
    void anExpiredLeaseCanBeTakenAndItsFormerHolderCannotAdvance() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        assertTrue(leases(id, 0, "slow", Duration.ofMinutes(1)));
        timePasses(Duration.ofSeconds(30));
        assertFalse(leases(id, 0, "fast", LEASE), "still live");

        timePasses(Duration.ofMinutes(1));
        assertTrue(leases(id, 0, "fast", LEASE));

        assertFalse(sessions().advance(id, "slow", new UploadState(5, "slow")));
        assertEquals(new UploadState(0, ""), sessions().find(APP, id).orElseThrow().state());
        assertTrue(sessions().advance(id, "fast", new UploadState(7, "fast")));
        assertEquals(new UploadState(7, "fast"), sessions().find(APP, id).orElseThrow().state());
    }

    @Test
    void abandonedSessionsAreTheUntouchedAndUnleasedOnesLeastRecentFirst() {
        UploadSession oldest = sessions().create(APP, newId(), new UploadState(0, "1"));
        timePasses(Duration.ofHours(1));
        UploadSession older = sessions().create(OTHER, newId(), new UploadState(0, "2"));
        UploadSession leased = sessions().create(APP, newId(), new UploadState(0, "3"));
        UploadSession expiredLease = sessions().create(APP, newId(), new UploadState(0, "4"));
        UploadSession advanced = sessions().create(APP, newId(), new UploadState(0, "5"));
        timePasses(Duration.ofHours(1));
        assertTrue(leases(leased.id(), 0, "w", Duration.ofHours(2)));
        assertTrue(leases(expiredLease.id(), 0, "w", Duration.ofMinutes(1)));
        assertTrue(leases(advanced.id(), 0, "w", LEASE));
        assertTrue(sessions().advance(advanced.id(), "w", new UploadState(9, "5")));
        UploadSession fresh = sessions().create(APP, newId(), new UploadState(0, "6"));
        timePasses(Duration.ofMinutes(30));

        List<UploadSession> abandoned = sessions().abandoned(Duration.ofMinutes(80), 10);

        assertEquals(List.of(oldest, older, expiredLease), abandoned);
        assertFalse(ids(abandoned).contains(fresh.id()) || ids(abandoned).contains(leased.id()));
        assertEquals(List.of(oldest), sessions().abandoned(Duration.ofMinutes(80), 1));
        assertEquals(List.of(oldest), sessions().abandoned(Duration.ofMinutes(120), 10));
        assertEquals(List.of(), sessions().abandoned(Duration.ofHours(3), 10));
    }

    @Test
    void deletingASessionEndsIt() {
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();

        assertTrue(sessions().delete(id));

        assertFalse(sessions().delete(id));
        assertEquals(Optional.empty(), sessions().find(APP, id));
        assertFalse(leases(id, 0, "a", LEASE));
        assertEquals(List.of(), sessions().abandoned(Duration.ZERO, 10));
    }

    @Test
    void concurrentWritersGetOneLeaseAndConcurrentFirstPushesOneRepository() throws Exception {
        int writers = 8;
        String id = sessions().create(APP, newId(), new UploadState(0, "")).id();
        List<Boolean> leases = concurrently(writers, i -> leases(id, 0, "writer-" + i, LEASE));
        assertEquals(1, leases.stream().filter(Boolean::booleanValue).count());

        RepositoryName fresh = new RepositoryName("team/raced");
        List<UploadSession> created = concurrently(writers, i -> sessions().create(fresh, newId(), new UploadState(0, "")));
        assertEquals(writers, created.stream().map(UploadSession::id).distinct().count());
        assertEquals(List.of("team/raced"), store().catalog("team/r", 10).entries());
    }

    // --- garbage collection: what writes queue, what reviews keep and collect

    static final Duration DELAY = Duration.ofHours(1);
    static final UntaggedManifests UNTAGGED = UntaggedManifests.after(Duration.ZERO);

    @Test
    void aLayerNoManifestReferencesIsCollectedAfterTheReviewDelayAndNotBefore() {
        Digest layer = blob(APP, "layer");

        assertEquals(Reviewed.NONE, gc().reviewBlobs(DELAY, 10), "not due before the delay");
        timePasses(DELAY);
        Reviewed reviewed = gc().reviewBlobs(DELAY, 10);

        assertEquals(List.of(new Reviewed.CollectedBlob(layer, content("layer").length)), reviewed.blobs());
        assertEquals(1, reviewed.collected());
        assertEquals(1, reviewed.unlinked());
        assertEquals(OptionalLong.empty(), store().blobSize(APP, layer));
        assertEquals(Reviewed.NONE, gc().reviewBlobs(DELAY, 10), "its candidate left the queue");
        assertEquals(new QueueSizes(0, 0, 1), gc().queueSizes(), "its bytes are claimed for deletion");
    }

    @Test
    void noUploadCommitsADigestWhoseBytesAreBeingDeleted() {
        Digest layer = blob(APP, "layer");
        timePasses(DELAY);
        assertEquals(1, gc().reviewBlobs(DELAY, 10).collected());
        UploadSession again = sessions().create(APP, newId(), new UploadState(content("layer").length, ""));

        assertEquals(UploadSessions.CommitClaim.DELETING, claimCommit(again, layer),
                "the collector has not deleted the old bytes yet");
        gc().deletionsDone(List.of(layer));
        assertEquals(UploadSessions.CommitClaim.CLAIMED, claimCommit(again, layer));

        sessions().complete(again, layer);
        assertEquals(OptionalLong.of(content("layer").length), store().blobSize(APP, layer));
        assertEquals(new QueueSizes(1, 0, 0), gc().queueSizes(), "queued again by its upload");
    }

    @Test
    void aReferencedBlobIsKeptAndLosesOnlyTheLinksNoManifestOfTheirRepositoryUses() {
        Digest layer = blob(APP, "layer");
        assertTrue(store().mountBlob(OTHER, layer, APP));
        put(APP, "v1", image(List.of(layer), null, null, null), content("m"));
        timePasses(DELAY);

        Reviewed reviewed = gc().reviewBlobs(DELAY, 10);

        assertEquals(new Reviewed(0, 1, 0, 1, List.of()), reviewed);
        assertEquals(OptionalLong.of(content("layer").length), store().blobSize(APP, layer));
        assertEquals(OptionalLong.empty(), store().blobSize(OTHER, layer), "OTHER never referenced it");
        assertEquals(new QueueSizes(0, 0, 0), gc().queueSizes());
    }

    @Test
    void aDeletedTagLeavesItsManifestToTheUntaggedPolicyThenItsBlobsAreCollected() {
        Digest config = blob(APP, "config");
        Digest layer = blob(APP, "layer");
        Digest shared = blob(APP, "shared");
        Digest manifest = put(APP, "v1", image(List.of(config, layer, shared), null, null, null), content("m"));
        put(APP, "v2", image(List.of(shared), null, null, null), content("other"));
        assertTrue(store().deleteTag(APP, "v1"));

        timePasses(DELAY);
        assertEquals(new Reviewed(0, 1, 0, 0, List.of()), gc().reviewManifests(DELAY, UntaggedManifests.OFF, 10),
                "kept while untagged manifests are not collected");
        assertTrue(store().manifest(APP, new Reference.ByDigest(manifest)).isPresent());

        store().putManifest(APP, manifest, image(List.of(config, layer, shared), null, null, null), content("m"), "v1");
        assertTrue(store().deleteTag(APP, "v1"), "untagged again: queued again");
        timePasses(DELAY);
        assertEquals(1, gc().reviewManifests(DELAY, UNTAGGED, 10).collected());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(manifest)));
        timePasses(DELAY);
        Reviewed blobs = gc().reviewBlobs(DELAY, 10);

        assertEquals(Set.of(config, layer), collectedDigests(blobs));
        assertEquals(1, blobs.kept(), "the shared layer is still referenced by v2");
        assertEquals(OptionalLong.of(content("shared").length), store().blobSize(APP, shared));
    }

    @Test
    void aMovedTagQueuesTheManifestItLeft() {
        Digest first = put(APP, "latest", image(List.of(), null, null, null), content("first"));
        Digest second = put(APP, "latest", image(List.of(), null, null, null), content("second"));
        timePasses(DELAY);

        assertEquals(1, gc().reviewManifests(DELAY, UNTAGGED, 10).collected());

        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(first)));
        assertEquals(second, store().manifest(APP, new Reference.Tag("latest")).orElseThrow().digest());
    }

    @Test
    void anUntaggedManifestWaitsForTheUntaggedDelayCountedFromItsLastEvent() {
        Digest pushed = put(APP, null, image(List.of(), null, null, null), content("by digest"));
        UntaggedManifests afterThreeHours = UntaggedManifests.after(DELAY.multipliedBy(3));

        timePasses(DELAY);
        assertEquals(new Reviewed(0, 0, 1, 0, List.of()), gc().reviewManifests(DELAY, afterThreeHours, 10));
        timePasses(DELAY);
        assertEquals(Reviewed.NONE, gc().reviewManifests(DELAY, afterThreeHours, 10), "postponed until 3 h");
        timePasses(DELAY);
        assertEquals(1, gc().reviewManifests(DELAY, afterThreeHours, 10).collected());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(pushed)));
    }

    @Test
    void anIndexHoldsItsChildrenUntilItIsDeleted() {
        Digest child = put(APP, null, image(List.of(blob(APP, "layer")), null, null, null), content("child"));
        Digest index = put(APP, "multi", index(List.of(), List.of(child)), content("index"));
        timePasses(DELAY);
        assertEquals(new Reviewed(0, 1, 0, 0, List.of()), gc().reviewManifests(DELAY, UNTAGGED, 10));

        assertTrue(store().deleteManifest(APP, index));
        timePasses(DELAY);
        assertEquals(1, gc().reviewManifests(DELAY, UNTAGGED, 10).collected());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(child)));
    }

    @Test
    void aTaggedReferrerHoldsItsSubjectAndUntaggedReferrersGoWithTheirSubject() {
        Digest subject = put(APP, null, image(List.of(), null, null, null), content("subject"));
        Digest signature = put(APP, "sig", image(List.of(), subject, "application/vnd.example.sig", null), content("sig"));
        Digest sbom = put(APP, null, image(List.of(), subject, "application/vnd.example.sbom", null), content("sbom"));
        timePasses(DELAY);
        assertEquals(new Reviewed(0, 2, 0, 0, List.of()), gc().reviewManifests(DELAY, UNTAGGED, 10),
                "the subject (a tagged referrer) and the sbom (its subject) are held");

        assertTrue(store().deleteTag(APP, "sig"));
        timePasses(DELAY);
        int collected = gc().reviewManifests(DELAY, UNTAGGED, 10).collected();
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(subject)), "no tagged referrer left");
        timePasses(DELAY);
        collected += gc().reviewManifests(DELAY, UNTAGGED, 10).collected();
        assertEquals(3, collected, "then the referrers, whose subject is gone");
        for (Digest gone : List.of(subject, signature, sbom)) {
            assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(gone)));
        }
    }

    @Test
    void aManifestDeletedThroughTheApiQueuesItsBlobs() {
        Digest config = blob(APP, "config");
        Digest layer = blob(APP, "layer");
        Digest manifest = put(APP, "v1", image(List.of(config, layer), null, null, null), content("m"));
        timePasses(DELAY);
        assertEquals(new Reviewed(0, 2, 0, 0, List.of()), gc().reviewBlobs(DELAY, 10), "referenced: kept");

        assertTrue(store().deleteManifest(APP, manifest));
        timePasses(DELAY);

        assertEquals(Set.of(config, layer), collectedDigests(gc().reviewBlobs(DELAY, 10)));
    }

    @Test
    void anUploadCommittingABlobKeepsItFromEveryDeleterAndCancellingItQueuesTheBlob() {
        Digest layer = blob(APP, "layer");
        UploadSession upload = sessions().create(APP, newId(), new UploadState(content("layer").length, ""));
        assertEquals(UploadSessions.CommitClaim.CLAIMED, claimCommit(upload, layer));
        timePasses(DELAY);

        assertEquals(new Reviewed(0, 0, 1, 0, List.of()), gc().reviewBlobs(DELAY, 10));
        assertFalse(store().quarantineBlob(layer), "its bytes are being replaced by verified ones");
        assertEquals(List.of(), gc().claimOrphans(List.of(layer)));

        assertTrue(sessions().delete(upload.id()));
        timePasses(DELAY);
        assertEquals(1, gc().reviewBlobs(DELAY, 10).collected());
    }

    @Test
    void aQuarantineClaimsTheDeletionOfTheCorruptBytes() {
        Digest layer = blob(APP, "layer");

        assertTrue(store().quarantineBlob(layer));
        assertFalse(store().quarantineBlob(layer), "once");
        assertFalse(store().quarantineBlob(Digest.sha256Of(content("unknown"))));

        UploadSession heal = sessions().create(OTHER, newId(), new UploadState(content("layer").length, ""));
        assertEquals(UploadSessions.CommitClaim.DELETING, claimCommit(heal, layer),
                "not until the corrupt bytes are gone");
        gc().deletionsDone(List.of(layer));
        assertEquals(UploadSessions.CommitClaim.CLAIMED, claimCommit(heal, layer));
    }

    @Test
    void theSweepClaimsOnlyBytesThatNothingRecords() {
        Digest recorded = blob(APP, "recorded");
        Digest orphan = Digest.sha256Of(content("orphan"));
        Digest committing = Digest.sha256Of(content("committing"));
        assertEquals(UploadSessions.CommitClaim.CLAIMED,
                claimCommit(sessions().create(APP, newId(), new UploadState(0, "")), committing));
        Digest deleting = blob(APP, "deleting");
        assertTrue(store().quarantineBlob(deleting));

        assertEquals(List.of(orphan), gc().claimOrphans(List.of(recorded, orphan, committing, deleting)));
        assertEquals(List.of(), gc().claimOrphans(List.of(orphan)), "claimed once");
        assertEquals(new QueueSizes(2, 0, 2), gc().queueSizes());
    }

    @Test
    void deletionClaimsBecomeStaleAfterTheTimeoutUntilDone() {
        Digest orphan = Digest.sha256Of(content("orphan"));
        assertEquals(List.of(orphan), gc().claimOrphans(List.of(orphan)));

        assertEquals(List.of(), gc().staleDeletions(Duration.ofMinutes(1), 10));
        timePasses(Duration.ofMinutes(2));
        assertEquals(List.of(orphan), gc().staleDeletions(Duration.ofMinutes(1), 10));

        gc().deletionsDone(List.of(orphan));
        assertEquals(List.of(), gc().staleDeletions(Duration.ZERO, 10));
    }

    @Test
    void immutableTagsNeitherMoveNorGoAndNothingIsWrittenWhenOneWould() {
        ImmutableTags releases = (repository, tag) -> tag.startsWith("v");
        Digest first = Digest.sha256Of(content("first"));
        Digest second = Digest.sha256Of(content("second"));
        store().putManifest(APP, first, image(List.of(), null, null, null), content("first"), List.of("v1", "latest"),
                releases);

        ImmutableTagException refused = assertThrows(ImmutableTagException.class, () -> store().putManifest(APP, second,
                image(List.of(), null, null, null), content("second"), List.of("latest", "v1"), releases));
        assertEquals(List.of("v1"), refused.tags());
        assertEquals(Optional.empty(), store().manifest(APP, new Reference.ByDigest(second)), "nothing written");
        assertEquals(first, store().manifest(APP, new Reference.Tag("latest")).orElseThrow().digest());

        store().putManifest(APP, first, image(List.of(), null, null, null), content("first"), List.of("v1", "v2"), releases);
        store().putManifest(APP, second, image(List.of(), null, null, null), content("second"), List.of("latest"), releases);
        assertEquals(List.of("v1", "v2"), assertThrows(ImmutableTagException.class,
                () -> store().deleteManifest(APP, first, releases)).tags());
        assertTrue(store().manifest(APP, new Reference.Tag("v1")).isPresent());
        assertTrue(store().deleteManifest(APP, second, releases));
        assertTrue(store().deleteManifest(APP, first), "no tag is immutable without the rules");
    }

    @Test
    void retentionSeesTagsNewestFirstAndDeletesOnlyTagsNotPushedSince() {
        Digest manifest = put(APP, "a", image(List.of(), null, null, null), content("m"));
        timePasses(Duration.ofMinutes(1));
        put(APP, "b", image(List.of(), null, null, null), content("m"));
        timePasses(Duration.ofMinutes(1));
        put(APP, "c", image(List.of(), null, null, null), content("m"));

        List<TagRecord> tags = gc().tagRecords(APP);
        assertEquals(List.of("c", "b", "a"), tags.stream().map(TagRecord::name).toList());
        assertTrue(tags.stream().allMatch(t -> t.manifest().equals(manifest)));
        assertTrue(tags.get(0).pushedAt().isAfter(tags.get(1).pushedAt()));
        assertEquals(List.of(), gc().tagRecords(new RepositoryName("team/unknown")));

        put(APP, "b", image(List.of(), null, null, null), content("m")); // pushed again since it was listed
        assertFalse(gc().deleteTagIfUnchanged(APP, tags.get(1)));
        long queued = gc().queuedTotal(ReviewQueue.MANIFEST);
        assertTrue(gc().deleteTagIfUnchanged(APP, tags.get(2)));
        assertFalse(gc().deleteTagIfUnchanged(APP, tags.get(2)), "gone");
        assertEquals(List.of("b", "c"), store().tags(APP, null, 10).orElseThrow().entries());
        assertEquals(queued + 1, gc().queuedTotal(ReviewQueue.MANIFEST), "its manifest is queued");
    }

    @Test
    void queuedTotalsCountEveryCandidateQueued() {
        long blobs = gc().queuedTotal(ReviewQueue.BLOB);
        long manifests = gc().queuedTotal(ReviewQueue.MANIFEST);
        Digest layer = blob(APP, "layer");
        put(APP, null, image(List.of(layer), null, null, null), content("untagged"));
        assertTrue(store().unlinkBlob(APP, layer));

        assertEquals(blobs + 2, gc().queuedTotal(ReviewQueue.BLOB));
        assertEquals(manifests + 1, gc().queuedTotal(ReviewQueue.MANIFEST));
        assertEquals(new QueueSizes(1, 1, 0), gc().queueSizes());
    }

    @Test
    void aPushAndAReviewOfTheBlobItReferencesNeverLeaveAManifestWithoutItsBlob() throws Exception {
        for (int r = 0; r < 25; r++) {
            int round = r;
            RepositoryName repository = new RepositoryName("team/race-" + round);
            Digest layer = blob(repository, "layer " + round);
            timePasses(DELAY);
            ParsedManifest parsed = image(List.of(layer), null, null, null);
            List<Object> outcomes = concurrently(2, i -> {
                if (i == 1) {
                    return gc().reviewBlobs(DELAY, 100);
                }
                try {
                    return put(repository, "v1", parsed, content("m " + round));
                } catch (MissingReferencesException e) {
                    return e;
                }
            });
            boolean pushed = outcomes.get(0) instanceof Digest;
            Reviewed reviewed = (Reviewed) outcomes.get(1);
            assertTrue(pushed != collectedDigests(reviewed).contains(layer),
                    "either the push referenced the blob or the review collected it, round " + round);
            assertEquals(pushed, store().blobSize(repository, layer).isPresent());
            assertEquals(pushed, store().manifest(repository, new Reference.Tag("v1")).isPresent());
        }
    }

    @Test
    void aPushAndAReviewRemovingTheLinkItReliesOnNeverLeaveAManifestWithoutItsBlob() throws Exception {
        Digest layer = blob(OTHER, "shared layer");
        put(OTHER, "v1", image(List.of(layer), null, null, null), content("holds it"));
        for (int r = 0; r < 25; r++) {
            int round = r;
            RepositoryName repository = new RepositoryName("team/link-race-" + round);
            assertTrue(store().mountBlob(repository, layer, OTHER)); // a link, which the review will remove
            timePasses(DELAY);
            List<Object> outcomes = concurrently(2, i -> {
                if (i == 1) {
                    return gc().reviewBlobs(DELAY, 100);
                }
                try {
                    return put(repository, "v1", image(List.of(layer), null, null, null), content("m " + round));
                } catch (MissingReferencesException e) {
                    return e;
                }
            });
            boolean pushed = outcomes.get(0) instanceof Digest;
            assertEquals(pushed, store().blobSize(repository, layer).isPresent(),
                    "a manifest stored only with the link it references, round " + round);
        }
    }

    private static Set<Digest> collectedDigests(Reviewed reviewed) {
        return reviewed.blobs().stream().map(Reviewed.CollectedBlob::digest).collect(Collectors.toSet());
    }

    // --- inventory: every manifest and blob, range by range, page by page

    @Test
    void theInventoryWalksEveryManifestOfEveryRepositoryOnceInDigestOrderWithinItsRange() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RepositoryName repository = i % 3 == 0 ? OTHER : APP;
            Digest digest = put(repository, null, image(List.of(), null, null, null), content("m" + i));
            expected.add(digest + " " + repository.value());
            if (i % 10 == 0) { // the same manifest in a second repository is a second entry
                put(new RepositoryName("team/third"), null, image(List.of(), null, null, null), content("m" + i));
                expected.add(digest + " team/third");
            }
        }

        for (long maxBytes : new long[]{1 << 20, 1}) {
            List<String> walked = new ArrayList<>();
            for (DigestRange range : DigestRange.all()) {
                List<Inventory.ScannedManifest> inRange = walkManifests(range, 3, maxBytes);
                inRange.forEach(m -> assertTrue(range.contains(m.manifest().digest().toString()), "in its range"));
                List<String> keys = inRange.stream().map(m -> m.manifest().digest() + " " + m.repository().value()).toList();
                List<String> digests = inRange.stream().map(m -> m.manifest().digest().toString()).toList();
                assertEquals(digests.stream().sorted().toList(), digests, "digest order");
                walked.addAll(keys);
            }
            assertEquals(expected.stream().sorted().toList(), walked.stream().sorted().toList());
        }
    }

    @Test
    void aManifestPageCarriesTheStoredBytesAndStopsAtItsByteCapAfterOneAtLeast() {
        byte[] content = content("stored bytes");
        Digest digest = put(APP, "v1", image(List.of(), null, null, null), content);
        for (int i = 0; i < 30; i++) {
            put(APP, null, image(List.of(), null, null, null), content("more " + i));
        }
        DigestRange range = DigestRange.all().stream().filter(r -> r.contains(digest.toString())).findFirst().orElseThrow();

        Inventory.ScannedManifest found = walkManifests(range, 100, 1 << 20).stream()
                .filter(m -> m.manifest().digest().equals(digest)).findFirst().orElseThrow();
        assertEquals(APP, found.repository());
        assertEquals(IMAGE, found.manifest().mediaType());
        assertArrayEquals(content, found.manifest().content());

        for (DigestRange r : DigestRange.all()) {
            Inventory.ScanPage<Inventory.ScannedManifest> page = inventory().manifests(r, null, 100, 1);
            assertTrue(page.items().size() <= 1, "a page past its byte cap holds the first manifest only");
        }
        Inventory.ScanPage<Inventory.ScannedManifest> capped = inventory().manifests(range, null, 100, 1);
        assertEquals(1, capped.items().size(), "never empty while the range holds a manifest");
    }

    @Test
    void theInventoryWalksEveryRecordedBlobWithItsSizeAndQuarantine() {
        List<Digest> blobs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            blobs.add(blob(i % 2 == 0 ? APP : OTHER, "blob " + i));
        }
        assertTrue(store().mountBlob(new RepositoryName("team/third"), blobs.getFirst(), APP), "a blob is recorded once");
        store().quarantineBlob(blobs.get(1));

        List<Inventory.ScannedBlob> walked = new ArrayList<>();
        for (DigestRange range : DigestRange.all()) {
            String cursor = null;
            Inventory.ScanPage<Inventory.ScannedBlob> page;
            do {
                page = inventory().blobs(range, cursor, 2);
                assertTrue(page.items().size() <= 2);
                page.items().forEach(b -> assertTrue(range.contains(b.digest().toString())));
                walked.addAll(page.items());
                cursor = page.cursor();
            } while (page.more());
        }

        assertEquals(blobs.stream().map(Digest::toString).sorted().toList(),
                walked.stream().map(b -> b.digest().toString()).toList());
        for (Inventory.ScannedBlob b : walked) {
            int i = blobs.indexOf(b.digest());
            assertEquals(content("blob " + i).length, b.size());
            assertEquals(i == 1, b.quarantined());
        }
        assertEquals(List.of(), inventory().blobs(DigestRange.of(0), null, 10).items().stream()
                .filter(b -> !DigestRange.of(0).contains(b.digest().toString())).toList());
    }

    // --- verify ledger: runs, claimed ranges, progress and failures

    @Test
    void anUnfinishedRunIsContinuedByDepthUntilItFinishes() {
        VerifyLedger.Run first = ledger().begin(false, false);
        assertFalse(first.resumed());

        VerifyLedger.Run again = ledger().begin(false, false);
        assertEquals(first.id(), again.id());
        assertTrue(again.resumed());
        VerifyLedger.Run deep = ledger().begin(true, false);
        assertNotEquals(first.id(), deep.id(), "a deep run is another run");
        assertTrue(deep.deep());
        VerifyLedger.Run fresh = ledger().begin(false, true);
        assertNotEquals(first.id(), fresh.id());
        assertFalse(fresh.resumed());
        assertEquals(fresh.id(), ledger().begin(false, false).id(), "the newest unfinished run is continued");

        assertFalse(ledger().finish(fresh.id()), "ranges remain");
        completeEveryRange(fresh.id(), "w");
        assertTrue(ledger().finish(fresh.id()));
        assertTrue(ledger().status(fresh.id(), 10).finished());
        assertEquals(first.id(), ledger().begin(false, false).id(), "the older unfinished run is next");
    }

    @Test
    void everyRangeIsClaimedOnceWhileLeasedAndAgainFromItsCursorAfterTheLeaseLapses() {
        long run = ledger().begin(false, false).id();
        List<String> claimed = new ArrayList<>();
        VerifyLedger.Claim first = ledger().claim(run, "a", LEASE).orElseThrow();
        assertTrue(ledger().record(first, new VerifyLedger.Progress("cursor-1", false, 5, 50, List.of()), LEASE));
        claimed.add(first.kind() + "/" + first.range());
        for (Optional<VerifyLedger.Claim> c; (c = ledger().claim(run, "a", LEASE)).isPresent(); ) {
            claimed.add(c.get().kind() + "/" + c.get().range());
            assertEquals(null, c.get().cursor(), "not started");
        }
        assertEquals(2 * DigestRange.COUNT, claimed.size());
        assertEquals(claimed.size(), claimed.stream().distinct().count(), "each range once");
        assertEquals(Optional.empty(), ledger().claim(run, "b", LEASE), "all leased");

        timePasses(LEASE.plusSeconds(1));

        VerifyLedger.Claim taken = ledger().claim(run, "b", LEASE).orElseThrow();
        assertEquals(first.kind(), taken.kind());
        assertEquals(first.range(), taken.range());
        assertEquals("cursor-1", taken.cursor(), "continued where the lapsed holder recorded");
        assertEquals("b", taken.owner());
        assertFalse(ledger().record(first, new VerifyLedger.Progress("cursor-2", false, 1, 1, List.of()), LEASE),
                "the former holder records nothing");
        assertFalse(ledger().renew(first, LEASE), "nor renews");

        VerifyLedger.Claim renewed = ledger().claim(run, "c", LEASE).orElseThrow();
        timePasses(LEASE.minusSeconds(1));
        assertTrue(ledger().renew(renewed, LEASE), "its holder renews it");
        assertFalse(ledger().renew(new VerifyLedger.Claim(run, renewed.kind(), renewed.range(), null, "d"), LEASE));
        timePasses(Duration.ofSeconds(2));
        for (Optional<VerifyLedger.Claim> c; (c = ledger().claim(run, "d", LEASE)).isPresent(); ) {
            assertFalse(c.get().kind() == renewed.kind() && c.get().range() == renewed.range(), "renewed: still held");
        }
        assertEquals(new VerifyLedger.Totals(5, 50), ledger().status(run, 10).totals(first.kind()));
    }

    @Test
    void progressAndFailuresAreRecordedOnceAndAReleasedRangeIsFreeAtOnce() {
        long run = ledger().begin(true, false).id();
        VerifyLedger.Failure bad = new VerifyLedger.Failure("blob-digest", "sha256:" + "a".repeat(64), "", "changed");
        VerifyLedger.Failure truncated = new VerifyLedger.Failure("manifest-mismatch", "sha256:" + "b".repeat(64),
                "team/app", "truncated");
        VerifyLedger.Claim claim = ledger().claim(run, "w", LEASE).orElseThrow();
        assertTrue(ledger().record(claim, new VerifyLedger.Progress("k1", false, 3, 300, List.of(bad)), LEASE));
        assertTrue(ledger().record(claim, new VerifyLedger.Progress("k2", false, 2, 200, List.of(bad, truncated)), LEASE));

        VerifyLedger.Status status = ledger().status(run, 10);
        assertTrue(status.deep());
        assertFalse(status.finished());
        assertEquals(new VerifyLedger.Totals(5, 500), status.totals(claim.kind()));
        assertEquals(List.of(bad, truncated), status.failures(), "once each, by kind then digest");
        assertEquals(Map.of("blob-digest", 1L, "manifest-mismatch", 1L), status.failuresByKind());
        assertEquals(2, status.failureCount());
        assertEquals(List.of(bad), ledger().status(run, 1).failures(), "listed up to the limit, all counted");
        assertEquals(2, ledger().status(run, 1).failureCount());
        assertEquals(0, status.rangesDone());
        assertEquals(2 * DigestRange.COUNT, status.rangesTotal());

        ledger().release(run, "w");
        VerifyLedger.Claim again = ledger().claim(run, "v", LEASE).orElseThrow();
        assertEquals(claim.range(), again.range());
        assertEquals(claim.kind(), again.kind());
        assertEquals("k2", again.cursor());
        assertTrue(ledger().record(again, new VerifyLedger.Progress("k3", true, 1, 0, List.of()), LEASE));
        assertEquals(1, ledger().status(run, 10).rangesDone());
        assertFalse(ledger().record(again, new VerifyLedger.Progress("k4", false, 1, 0, List.of()), LEASE),
                "a done range is no longer held");
    }

    // --- fixtures

    /** A blob in the repository, recorded as an upload completes. */
    protected Digest blob(RepositoryName repository, String text) {
        byte[] bytes = content(text);
        Digest digest = Digest.sha256Of(bytes);
        sessions().complete(sessions().create(repository, newId(), new UploadState(bytes.length, "")), digest);
        return digest;
    }

    protected Digest put(RepositoryName repository, String tag, ParsedManifest parsed, byte[] content) {
        Digest digest = Digest.sha256Of(content);
        store().putManifest(repository, digest, parsed, content, tag);
        return digest;
    }

    static ParsedManifest image(List<Digest> blobs, Digest subject, String artifactType, String annotationsJson) {
        return new ParsedManifest(IMAGE, blobs, List.of(), subject, artifactType, annotationsJson);
    }

    static ParsedManifest index(List<Digest> blobs, List<Digest> manifests) {
        return new ParsedManifest(INDEX, blobs, manifests, null, null, null);
    }

    static byte[] content(String text) {
        return ("{\"content\":\"" + text + "\"}").getBytes(UTF_8);
    }

    static String newId() {
        return UUID.randomUUID().toString();
    }

    /** Every manifest of the range, page after page. */
    private List<Inventory.ScannedManifest> walkManifests(DigestRange range, int limit, long maxBytes) {
        List<Inventory.ScannedManifest> walked = new ArrayList<>();
        String cursor = null;
        Inventory.ScanPage<Inventory.ScannedManifest> page;
        do {
            page = inventory().manifests(range, cursor, limit, maxBytes);
            assertTrue(page.items().size() <= limit);
            walked.addAll(page.items());
            cursor = page.cursor();
        } while (page.more());
        return walked;
    }

    /** Claims and completes every range of the run. */
    private void completeEveryRange(long run, String owner) {
        for (Optional<VerifyLedger.Claim> c; (c = ledger().claim(run, owner, LEASE)).isPresent(); ) {
            assertTrue(ledger().record(c.get(), new VerifyLedger.Progress(null, true, 0, 0, List.of()), LEASE));
        }
    }

    private static List<Digest> digests(List<Referrer> referrers) {
        return referrers.stream().map(r -> Digest.parse(r.digest())).toList();
    }

    private static List<String> ids(List<UploadSession> sessions) {
        return sessions.stream().map(UploadSession::id).toList();
    }

    private static List<String> sortedIn(Locale locale, List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Collator.getInstance(locale));
        return sorted;
    }

    /** Every entry of a listing, page after page as a client follows its links. */
    private static List<String> walk(int limit, BiFunction<String, Integer, Page> listing) {
        List<String> walked = new ArrayList<>();
        String last = null;
        Page page;
        do {
            page = listing.apply(last, limit);
            assertTrue(page.entries().size() <= limit);
            walked.addAll(page.entries());
            last = page.lastEntry();
        } while (page.more());
        return walked;
    }

    private static <T> List<T> concurrently(int threads, IntFunction<T> work) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int n = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return work.apply(n);
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        }
    }
}
